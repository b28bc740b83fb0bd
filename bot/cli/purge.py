"""`python -m bot purge [--now ISO] [--every SECONDS]`: apply the retention periods.

Deletes or anonymises what is older than RETENTION_*_DAYS (bot/data_rights/retention.py)
and prints what it did. Idempotent: `make run` runs it daily in a loop; in
production run it from cron or a timer.
"""

from __future__ import annotations

from bot.cli import command_engine
from bot.cli.jobs import job_parser, run_job
from bot.data_rights.retention import RetentionPolicy, purge
from bot.db import session_scope
from bot.logging_setup import install_log_redaction
from bot.settings import get_settings, require_safe_settings


def purge_once(now) -> str:
    policy = RetentionPolicy.of(get_settings())
    with session_scope(command_engine()) as session:
        return f"purge: {purge(session, now=now, policy=policy).summary()}"


def main(argv: list[str]) -> int:
    require_safe_settings()
    args = job_parser("python -m bot purge").parse_args(argv)
    settings = get_settings()
    install_log_redaction(settings.hash_key, settings.sms_default_region)
    return run_job(args, purge_once)
