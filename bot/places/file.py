"""A city's places file (data/places/<city>.yml), read as it is; loading it into the
database is bot/desk/places_loader.py (it may close places and cancel bookings)."""

from __future__ import annotations

from pathlib import Path

import yaml


def read_places_file(path: Path) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
