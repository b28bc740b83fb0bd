"""`python -m bot notify [--every SECONDS]`: tell conseillers about new tickets.

Idempotent (each ticket is notified once, whatever the number of runs):
run it from cron, or in a loop as `make run` does.
"""

from __future__ import annotations

from bot.cli import command_engine
from bot.cli.jobs import job_parser, run_job
from bot.db import session_factory
from bot.desk.notify import notify_new_tickets
from bot.settings import get_settings, require_safe_settings


def main(argv: list[str]) -> int:
    require_safe_settings()
    args = job_parser("python -m bot notify", with_now=False).parse_args(argv)
    factory = session_factory(command_engine())
    settings = get_settings()
    return run_job(args, lambda _now: f"{notify_new_tickets(factory, settings)} new-ticket notification(s) sent")
