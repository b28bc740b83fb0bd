"""`python -m bot answers <subcommand>`: the living answers from the command line.

  seed                       seed the database from bot/domain/*.yml (idempotent; `db upgrade` runs it)
  export [--root DIR]        write the database's answers back to the domain files (and new references)
  show KEY                   an answer's texts, sources, checked date and versions
  set KEY --text-file F      replace a text, with the desk's checks (refused: the reasons, exit code 1)
  revert KEY --to N          put back what version N held
  check --text-file F        the checks alone, on any text
  due [--days N]             answers and places whose last check is older than ANSWER_REVIEW_DAYS

Each subcommand registers itself in SUBCOMMANDS with the function that adds its parser
(its arguments and `set_defaults(run=...)`), so that others can be added beside it.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import date
from pathlib import Path

from bot.cli import command_engine
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
    with session_scope(command_engine()) as session:
        items, counted = due(session, today=today, review_days=days)
    if not counted:
        print("No record of sent answers in this database: answers are ordered by the age of their check.")
    print(
        f"{len(items)} due (checked more than {days} days before {today}, or never); "
        f"use over the last {USE_WINDOW_DAYS} days:"
    )
    for item in items:
        checked = f"checked {item.checked} ({(today - item.checked).days} days)" if item.checked else "never checked"
        used = "" if item.used is None else (f"sent {item.used}" if item.kind == "answer" else f"booked {item.used}")
        print(f"{item.kind:6}  {item.key:60}  {checked:32}  {used}".rstrip())
    return 0


def actor(args) -> str:
    if getattr(args, "by", None):
        return args.by
    try:
        return f"ligne de commande ({getpass.getuser()})"
    except Exception:
        return "ligne de commande"


def cmd_seed(args) -> int:
    from bot.answers.seed import seed, seed_place_reviews
    from bot.db import session_scope
    from bot.settings import get_settings

    with session_scope(command_engine()) as session:
        report = seed(session, Path(args.root) if args.root else None)
        seed_place_reviews(session, get_settings().places_file)
    print("\n".join(report.lines()))
    return 0


def cmd_export(args) -> int:
    from bot.answers.export import ExportError, export
    from bot.db import session_scope

    try:
        with session_scope(command_engine()) as session:
            report = export(session, Path(args.root) if args.root else None)
    except ExportError as error:
        print(f"export refused: {error}", file=sys.stderr)
        return 1
    if not (report.answers or report.references or report.checks):
        print("nothing to write: the repository already holds the database's answers")
    for key in report.answers:
        print(f"answer {key}")
    for value in report.references:
        print(f"reference {value} (data/references.yml)")
    for key in report.checks:
        print(f"checked date {key} (data/answers/checks.yml)")
    if report.files:
        print("written: " + ", ".join(report.files))
    return 0


def _print_answer(answer, versions) -> None:
    print(answer.key)
    print(f"  file: {answer.domain_file}")
    for index, variation in enumerate(answer.variations, start=1):
        where = f" [channel {variation['channel']}]" if variation.get("channel") else ""
        print(f"  variation {index}{where}: {variation.get('text') or ''}")
        for button in variation.get("buttons") or []:
            print(f"    button: {button.get('title')} -> {button.get('payload')}")
    print("  sources: " + ("; ".join(answer.sources) if answer.sources else "none"))
    checked = answer.checked_on.isoformat() if answer.checked_on else "never"
    print(f"  checked: {checked}" + (f" by {answer.checked_by}" if answer.checked_by else ""))
    print("  versions:")
    for version in versions:
        note = f" ({version.note})" if version.note else ""
        print(f"    {version.number}\t{version.at:%Y-%m-%d %H:%M}\t{version.kind}\t{version.by}{note}")


def cmd_show(args) -> int:
    from bot.answers import store
    from bot.db import session_scope

    with session_scope(command_engine()) as session:
        try:
            answer = store.get(session, args.key)
        except store.UnknownAnswer:
            print(f"no answer {args.key!r} (python -m bot answers seed?)", file=sys.stderr)
            return 2
        _print_answer(answer, store.history(session, args.key))
    return 0


def _read_text(path: str) -> str:
    return sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")


def cmd_set(args) -> int:
    from bot.answers import store
    from bot.db import session_scope

    text = _read_text(args.text_file)
    try:
        with session_scope(command_engine()) as session:
            answer = store.get(session, args.key)
            texts = [str(v.get("text") or "") for v in answer.variations]
            index = args.variation - 1
            if not 0 <= index < len(texts):
                print(f"{args.key} has {len(texts)} variation(s)", file=sys.stderr)
                return 2
            texts[index] = text
            sources = args.source if args.source else None
            answer = store.edit(
                session,
                args.key,
                texts,
                actor(args),
                sources=sources,
                note=args.note,
                fold_accents=get_settings().sms_fold_accents,
            )
            print(f"{args.key}: version {answer.version} saved; served from the next turn")
    except store.UnknownAnswer:
        print(f"no answer {args.key!r} (python -m bot answers seed?)", file=sys.stderr)
        return 2
    except store.Refused as refused:
        print("Modification refusée :", file=sys.stderr)
        for problem in refused.problems:
            print(f"- {problem}", file=sys.stderr)
        return 1
    return 0


def cmd_revert(args) -> int:
    from bot.answers import store
    from bot.db import session_scope

    try:
        with session_scope(command_engine()) as session:
            answer = store.revert(session, args.key, args.to, actor(args))
            print(f"{args.key}: version {answer.version} holds version {args.to}'s texts again")
    except store.UnknownAnswer as error:
        print(f"unknown answer or version: {error}", file=sys.stderr)
        return 2
    return 0


def cmd_check(args) -> int:
    from bot.answers.checks import check_text
    from bot.answers.references import known_references
    from bot.db import session_scope

    with session_scope(command_engine()) as session:
        report = check_text(_read_text(args.text_file), known_references(session))
    if report.sms:
        print(f"SMS: {report.sms.segments} segment(s), {report.sms.encoding}, {report.sms.length} characters")
    if report.readability:
        r = report.readability
        print(
            f"readability: {r.words_per_sentence} words per sentence (longest {r.longest_sentence}), "
            f"long words: {', '.join(r.long_words) or 'none'}"
        )
    for problem in report.problems:
        print(f"- {problem}")
    return 0 if report.ok else 1


def add_seed(sub) -> None:
    parser = sub.add_parser("seed", help="seed the database's answers from the domain files")
    parser.add_argument("--root", help="another checkout to read (default: this one)")
    parser.set_defaults(run=cmd_seed)


def add_export(sub) -> None:
    parser = sub.add_parser("export", help="write the database's answers back to the domain files")
    parser.add_argument("--root", help="another checkout to write (default: this one)")
    parser.set_defaults(run=cmd_export)


def add_show(sub) -> None:
    parser = sub.add_parser("show", help="an answer, its sources, checked date and versions")
    parser.add_argument("key", help="the response name, e.g. utter_faq_email/spams")
    parser.set_defaults(run=cmd_show)


def add_set(sub) -> None:
    parser = sub.add_parser("set", help="replace an answer's text (checked as in the desk)")
    parser.add_argument("key")
    parser.add_argument("--text-file", required=True, help="file holding the new text ('-': stdin)")
    parser.add_argument("--variation", type=int, default=1, help="which variation (1 = the first), see `show`")
    parser.add_argument("--source", action="append", help="a source of the answer (repeat; replaces the list)")
    parser.add_argument("--note", help="why (kept in the answer's history)")
    parser.add_argument("--by", help="who makes the change (default: the system user)")
    parser.set_defaults(run=cmd_set)


def add_revert(sub) -> None:
    parser = sub.add_parser("revert", help="put back what a version of an answer held")
    parser.add_argument("key")
    parser.add_argument("--to", type=int, required=True, help="the version number (see `show`)")
    parser.add_argument("--by", help="who makes the change (default: the system user)")
    parser.set_defaults(run=cmd_revert)


def add_check(sub) -> None:
    parser = sub.add_parser("check", help="run the checks on a text, save nothing")
    parser.add_argument("--text-file", required=True, help="file holding the text ('-': stdin)")
    parser.set_defaults(run=cmd_check)


# name -> function adding its parser (arguments and `run`) to the subparsers
SUBCOMMANDS = {
    "seed": add_seed,
    "export": add_export,
    "show": add_show,
    "set": add_set,
    "revert": add_revert,
    "check": add_check,
    "due": add_due,
}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot answers")
    sub = parser.add_subparsers(dest="action", required=True)
    for add in SUBCOMMANDS.values():
        add(sub)
    args = parser.parse_args(argv)
    return int(args.run(args) or 0)
