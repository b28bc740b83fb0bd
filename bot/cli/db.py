"""`python -m bot db upgrade|downgrade|revision`: the application's schema migrations."""

from __future__ import annotations

import argparse

from bot import migrate


def seed_answers(url: str | None) -> None:
    """The answers follow the repository after each upgrade (bot/answers/seed.py: desk edits stay)."""
    from bot.answers.seed import seed, seed_place_reviews
    from bot.db import engine_for, session_scope
    from bot.settings import get_settings

    with session_scope(engine_for(url or get_settings().database_url)) as session:
        report = seed(session)
        seed_place_reviews(session, get_settings().places_file)
    print("answers: " + "\n".join(report.lines()))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot db")
    parser.add_argument("action", choices=["upgrade", "downgrade", "revision"])
    parser.add_argument("--url", help="database URL (default: DATABASE_URL)")
    parser.add_argument("-m", "--message", default="schema change")
    args = parser.parse_args(argv)
    from bot.settings import get_settings

    url = args.url or get_settings().database_url
    if args.action == "upgrade":
        migrate.upgrade(url)
        seed_answers(url)
    elif args.action == "downgrade":
        migrate.downgrade(url)
    else:
        migrate.revision(args.message, url)
    return 0
