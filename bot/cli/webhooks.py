"""`python -m bot webhooks [--now ISO] [--every SECONDS]`: send the signed webhooks that are due.

Idempotent and safe to run in several places at once (bot/webhooks/delivery.py):
`make run` runs it every 30 seconds (Procfile line `webhooks`).
"""

from __future__ import annotations

from bot.cli import command_engine
from bot.cli.jobs import job_parser, run_job
from bot.db import session_factory
from bot.settings import require_safe_settings
from bot.webhooks.delivery import deliver_due


def main(argv: list[str]) -> int:
    settings = require_safe_settings()
    args = job_parser("python -m bot webhooks").parse_args(argv)
    factory = session_factory(command_engine())
    return run_job(
        args,
        lambda now: deliver_due(
            factory,
            secret_key=settings.hash_key,
            production=settings.production,
            allow_private=settings.webhook_allow_private,
            now=now,
            timeout=settings.webhook_timeout_seconds,
        ).summary(),
    )
