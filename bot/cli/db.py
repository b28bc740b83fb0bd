"""`python -m bot db upgrade|downgrade|revision`: the application's schema migrations."""
from __future__ import annotations

import argparse

from bot import migrate


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot db")
    parser.add_argument("action", choices=["upgrade", "downgrade", "revision"])
    parser.add_argument("--url", help="database URL (default: DATABASE_URL)")
    parser.add_argument("-m", "--message", default="schema change")
    args = parser.parse_args(argv)
    if args.action == "upgrade":
        migrate.upgrade(args.url)
    elif args.action == "downgrade":
        migrate.downgrade(args.url)
    else:
        migrate.revision(args.message, args.url)
    return 0
