"""`python -m bot places load [FILE]`, `python -m bot places import NATIONAL_FILE --out FILE`
`python -m bot places refresh NATIONAL_FILE` and `python -m bot places close SLUG --until DATE`.

`load` adds a city's places file to the database (existing rows, which the
desk may have edited, are kept unless --update); `import` turns the
national open-data file (schéma des lieux de médiation numérique, CSV or JSON)
into a places file for the city to complete; `refresh` updates the public fields
(address, phone, hours, services...) of the database's places from a newer national
file, leaving their permanences, aliases, closures and checked date alone; `close`
marks a place (or, with --permanence, one permanence) closed until a date: no slot until
then, and the residents booked in that period are cancelled and texted (`--reopen` undoes it).
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from bot.cli import command_engine
from bot.settings import get_settings


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot places")
    sub = parser.add_subparsers(dest="action", required=True)
    load = sub.add_parser("load", help="load a places file into the database")
    load.add_argument("file", nargs="?", help="default: PLACES_FILE")
    load.add_argument(
        "--update",
        action="store_true",
        help="the file wins: overwrite rows edited in the desk, deactivate permanences not in the file",
    )
    imp = sub.add_parser("import", help="convert the national open-data file into a places file")
    imp.add_argument("national_file", help="CSV or JSON of the schéma des lieux de médiation numérique")
    imp.add_argument("--out", required=True, help="places file to write (YAML)")
    imp.add_argument("--commune", help="keep only this commune (e.g. Metz)")
    imp.add_argument("--code-postal", help="keep only this postcode")
    ref = sub.add_parser("refresh", help="refresh the public fields of known places from the national file")
    ref.add_argument("national_file", help="CSV or JSON of the schéma des lieux de médiation numérique")
    ref.add_argument("--commune", help="keep only this commune (e.g. Metz)")
    ref.add_argument("--code-postal", help="keep only this postcode")
    close = sub.add_parser(
        "close", help="mark a place or a permanence closed until a date (booked residents are texted)"
    )
    close.add_argument("slug", help="the place's slug, or the permanence's with --permanence")
    close.add_argument("--permanence", action="store_true", help="SLUG is a permanence")
    close.add_argument("--until", type=date.fromisoformat, help="last closed day, YYYY-MM-DD (inclusive)")
    close.add_argument("--reason", help="said to residents who ask about the place")
    close.add_argument("--reopen", action="store_true", help="take bookings again")
    args = parser.parse_args(argv)
    if args.action == "close":
        return close_command(args)
    if args.action == "refresh":
        from bot.db import session_scope
        from bot.places.importer import refresh_places

        with session_scope(command_engine()) as session:
            counts = refresh_places(
                session, Path(args.national_file), commune=args.commune, code_postal=args.code_postal
            )
        print(", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in counts.items()))
        return 0
    if args.action == "import":
        from bot.places.importer import import_national_file, write_places_file

        data = import_national_file(Path(args.national_file), commune=args.commune, code_postal=args.code_postal)
        write_places_file(data, Path(args.out))
        print(f"{args.out}: {len(data['places'])} places to complete (permanences, a_verifier)")
        return 0
    from bot.db import session_scope
    from bot.desk.places_loader import load_places
    from bot.sms.outbound import SmsConfig

    path = Path(args.file or get_settings().places_file)
    with session_scope(command_engine()) as session:
        counts = load_places(session, path, update=args.update, sms=SmsConfig.of(get_settings()))
    print(f"{path}: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))
    return 0


def close_command(args) -> int:
    from sqlalchemy import select

    from bot.db import session_scope
    from bot.desk.permanence_admin import close_permanence_until, close_place_until, reopen
    from bot.places.models import Permanence, Place
    from bot.sms.outbound import SmsConfig

    if not args.reopen and args.until is None:
        print("--until YYYY-MM-DD is needed (or --reopen)")
        return 2
    model = Permanence if args.permanence else Place
    with session_scope(command_engine()) as session:
        row = session.execute(select(model).where(model.slug == args.slug)).scalar_one_or_none()
        if row is None:
            print(f"no {'permanence' if args.permanence else 'place'} {args.slug!r}")
            return 1
        if args.reopen:
            reopen(row)
            print(f"{args.slug}: open again")
            return 0
        close = close_permanence_until if args.permanence else close_place_until
        report = close(
            session, row, args.until, args.reason, actor="ligne de commande", sms=SmsConfig.of(get_settings())
        )
    print(
        f"{args.slug}: closed until {args.until}; {report.cancelled} appointment(s) cancelled, "
        f"{report.texted} resident(s) texted"
    )
    return 0
