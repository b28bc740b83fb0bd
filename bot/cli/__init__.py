"""Dispatch of `python -m bot <command>`; each command lives in its own module."""
from __future__ import annotations

import importlib

# command name -> module in bot.cli exposing `main(argv) -> int`
COMMANDS = {
    "rasa": "bot.cli.rasa_cli",
    "classify": "bot.cli.classify",
    "serve": "bot.cli.serve",
    "info": "bot.cli.info",
    "db": "bot.cli.db",
    "places": "bot.cli.places",
    "reminders": "bot.cli.reminders",
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
    module = importlib.import_module(COMMANDS[command])
    return int(module.main(rest) or 0)
