"""`python -m bot nlu export-reviewed`: the review inbox's labels into data/nlu/reviewed_<topic>.yml.

Refused and reported: a message that copies a held-out message (tests/nlu/), a label the
training data does not know. Then `make train` (or the desk's "Réentraîner", which does not
need this export: it reads the labels from the database) learns them.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.settings import ROOT, get_settings

NLU = ROOT / "data" / "nlu"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot nlu", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    export = sub.add_parser("export-reviewed", help="write the labelled review items into data/nlu/")
    export.add_argument("--folder", default=str(NLU), help="the training data folder (default: data/nlu)")
    args = parser.parse_args(argv)

    from bot import schema  # noqa: F401 (every table, for the foreign keys)
    from bot.db import make_engine, session_factory
    from bot.nlu.reviewed import export_reviewed

    engine = make_engine(get_settings().database_url)
    session = session_factory(engine)()
    try:
        chosen, paths = export_reviewed(session, Path(args.folder))
    finally:
        session.close()
        engine.dispose()
    print(
        f"{len(chosen.examples)} examples written, {len(chosen.duplicates)} already in the training data, "
        f"{len(chosen.refused)} refused"
    )
    for path in paths:
        print(f"  {path}")
    for refused in chosen.refused:
        print(f"  refused item {refused.item_id} ({refused.label}): {refused.why}: {refused.text}")
    return 0
