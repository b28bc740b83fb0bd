"""`python -m bot privacy export|erase|report`: the personal-data rights and checks.

export +33612345678   print, as JSON, everything held about that number (right of access)
erase +33612345678    erase it, keeping anonymous statistics (right to erasure, e.g. by letter)
report [--corpus F]   precision and recall of the redaction on the labelled corpus
"""

from __future__ import annotations

import argparse
import json
import sys

from bot.cli import command_engine
from bot.db import session_scope
from bot.logging_setup import install_log_redaction
from bot.phones import to_e164
from bot.settings import get_settings


def _phone(raw: str) -> str:
    e164 = to_e164(raw, get_settings().sms_default_region)
    if e164 is None:
        raise SystemExit(f"not a valid phone number: {raw!r}")
    return e164


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot privacy")
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export", help="everything held about a phone number, as JSON")
    export.add_argument("phone")
    erase = commands.add_parser("erase", help="erase everything linked to a phone number")
    erase.add_argument("phone")
    report = commands.add_parser("report", help="precision and recall of the redaction")
    report.add_argument("--corpus", help="a YAML corpus (default: tests/privacy/redaction_corpus.yml)")
    args = parser.parse_args(argv)
    settings = get_settings()
    install_log_redaction(settings.hash_key, settings.sms_default_region)

    if args.command == "report":
        from bot.privacy.report import DEFAULT_CORPUS, format_report, load_corpus, mistakes

        entries = load_corpus(args.corpus or DEFAULT_CORPUS)
        print(format_report(entries))
        return 1 if mistakes(entries) else 0
    e164 = _phone(args.phone)
    if args.command == "export":
        from bot.data_rights.export import export_for_phone

        with session_scope(command_engine()) as session:
            data = export_for_phone(session, e164, settings.hash_key)
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    from bot.data_rights.erasure import erase_phone

    with session_scope(command_engine()) as session:
        result = erase_phone(session, e164, settings.hash_key)
    print("erased: " + ", ".join(f"{key}={value}" for key, value in result.as_dict().items()))
    return 0
