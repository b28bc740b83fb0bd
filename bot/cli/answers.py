"""`python -m bot answers SUBCOMMAND`: the assistant's answers as data.

`due` lists the answers (data/answers/checks.yml) and the places (database) whose
facts were checked more than ANSWER_REVIEW_DAYS ago, or never, the most used first
(bot/answer_checks.py). Each subcommand registers itself in SUBCOMMANDS with its
arguments and the function that runs it, so that others can be added beside it.
"""
from __future__ import annotations

import argparse
from datetime import date

from bot.settings import get_settings


def add_due(sub) -> None:
    parser = sub.add_parser("due", help="answers and places whose last check is older than ANSWER_REVIEW_DAYS")
    parser.add_argument("--days", type=int, help="review period in days (default: ANSWER_REVIEW_DAYS)")
    parser.add_argument("--today", type=date.fromisoformat, help="count from this day (YYYY-MM-DD) instead of today")
    parser.set_defaults(run=run_due)


def run_due(args) -> int:
    from bot.answer_checks import USE_WINDOW_DAYS, due
    from bot.db import session_scope

    days = args.days if args.days is not None else get_settings().answer_review_days
    today = args.today or date.today()
    with session_scope() as session:
        items, counted = due(session, today=today, review_days=days)
    if not counted:
        print("No record of sent answers in this database: answers are ordered by the age of their check.")
    print(f"{len(items)} due (checked more than {days} days before {today}, or never); "
          f"use over the last {USE_WINDOW_DAYS} days:")
    for item in items:
        checked = f"checked {item.checked} ({(today - item.checked).days} days)" if item.checked else "never checked"
        used = "" if item.used is None else (f"sent {item.used}" if item.kind == "answer" else f"booked {item.used}")
        print(f"{item.kind:6}  {item.key:60}  {checked:32}  {used}".rstrip())
    return 0


# name -> function adding its parser (arguments and `run`) to the subparsers
SUBCOMMANDS = {"due": add_due}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot answers")
    sub = parser.add_subparsers(dest="action", required=True)
    for add in SUBCOMMANDS.values():
        add(sub)
    args = parser.parse_args(argv)
    return int(args.run(args) or 0)
