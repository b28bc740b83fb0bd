"""`python -m bot waitlist [--now ISO] [--every SECONDS]`: text freed seats to the waitlist.

Idempotent: run it from cron every minute (`make run` runs it in a loop). See bot/waitlist/service.py.
"""

from __future__ import annotations

from bot.booking.slots import BookingWindow
from bot.cli import command_engine
from bot.cli.jobs import job_parser, run_job
from bot.db import session_scope
from bot.reminders import parse_hhmm
from bot.settings import require_safe_settings
from bot.sms.outbound import SmsConfig
from bot.waitlist.service import offer_freed_seats


def waitlist_once(now) -> str:
    settings = require_safe_settings()
    with session_scope(command_engine()) as session:
        return str(
            offer_freed_seats(
                session,
                now=now,
                offer_minutes=settings.waitlist_offer_minutes,
                batch=settings.waitlist_offer_batch,
                quiet_start=parse_hhmm(settings.reminder_quiet_start),
                quiet_end=parse_hhmm(settings.reminder_quiet_end),
                window=BookingWindow.of(settings),
                sms=SmsConfig.of(settings),
            )
        )


def main(argv: list[str]) -> int:
    require_safe_settings()
    return run_job(job_parser("python -m bot waitlist").parse_args(argv), waitlist_once)
