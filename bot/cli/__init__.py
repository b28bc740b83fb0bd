"""Dispatch of `python -m bot <command>`; each command lives in its own module."""

from __future__ import annotations

import importlib


def command_engine():
    """The database of DATABASE_URL, for the command that runs (one engine per URL, made once)."""
    from bot.db import engine_for
    from bot.settings import get_settings

    return engine_for(get_settings().database_url)


# command name -> module in bot.cli exposing `main(argv) -> int`
COMMANDS = {
    "rasa": "bot.cli.rasa_cli",
    "classify": "bot.cli.classify",
    "eval": "bot.cli.eval",
    "augment": "bot.cli.augment",
    "serve": "bot.cli.serve",
    "info": "bot.cli.info",
    "local-secrets": "bot.cli.local_secrets",
    "db": "bot.cli.db",
    "places": "bot.cli.places",
    "reminders": "bot.cli.reminders",
    "waitlist": "bot.cli.waitlist",
    "sms": "bot.cli.sms",
    "call": "bot.cli.call",
    "bench-sms": "bot.cli.bench_sms",
    "users": "bot.cli.users",
    "notify": "bot.cli.notify",
    "purge": "bot.cli.purge",
    "privacy": "bot.cli.privacy",
    "answers": "bot.cli.answers",
    "costs": "bot.cli.costs",
    "webhooks": "bot.cli.webhooks",
    "nlu": "bot.cli.nlu",
    "retrain": "bot.cli.retrain",
}


def usage() -> str:
    names = ", ".join(sorted(COMMANDS))
    return f"usage: python -m bot <command> [args]\ncommands: {names}"


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0
    command, rest = argv[0], argv[1:]
    if command not in COMMANDS:
        print(f"unknown command {command!r}\n{usage()}")
        return 2
    # Readable output: other projects' deprecation warnings hidden, ours kept (bot/warning_filters.py).
    from bot.warning_filters import quiet_third_party_deprecations

    quiet_third_party_deprecations()
    # No plain phone number or secret in any log of any command (bot/logging_setup.py).
    from bot.logging_setup import install_log_redaction
    from bot.settings import get_settings

    settings = get_settings()
    install_log_redaction(settings.hash_key, settings.sms_default_region)
    module = importlib.import_module(COMMANDS[command])
    return int(module.main(rest) or 0)
