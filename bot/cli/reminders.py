"""`python -m bot reminders [--now ISO] [--every SECONDS]`: send the due reminder SMS.

Idempotent: run it from cron every few minutes (`make run` runs it in a loop).
"""

from __future__ import annotations

from bot.cli import command_engine
from bot.cli.jobs import job_parser, run_job
from bot.db import session_scope
from bot.reminders import ReminderPolicy, send_due_reminders
from bot.settings import get_settings, require_safe_settings
from bot.sms.outbound import SmsConfig


def reminders_once(now) -> str:
    with session_scope(command_engine()) as session:
        return str(
            send_due_reminders(
                session, now=now, policy=ReminderPolicy.of(get_settings()), sms=SmsConfig.of(get_settings())
            )
        )


def main(argv: list[str]) -> int:
    require_safe_settings()
    return run_job(job_parser("python -m bot reminders").parse_args(argv), reminders_once)
