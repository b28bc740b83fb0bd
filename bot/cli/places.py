"""`python -m bot places load [FILE]`: load a city's places into the database."""
from __future__ import annotations

import argparse
from pathlib import Path

from bot.db import session_scope
from bot.places.loader import load_places
from bot.settings import get_settings


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot places")
    parser.add_argument("action", choices=["load"])
    parser.add_argument("file", nargs="?", help="default: PLACES_FILE")
    args = parser.parse_args(argv)
    path = Path(args.file or get_settings().places_file)
    with session_scope() as session:
        counts = load_places(session, path)
    print(f"{path}: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))
    return 0
