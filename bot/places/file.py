"""A city's places file (data/places/<city>.yml), read as it is; loading it into the
database is bot/desk/places_loader.py (it may close places and cancel bookings)."""

from __future__ import annotations

from pathlib import Path

from bot.yaml_files import load_yaml


def read_places_file(path: Path) -> dict:
    return load_yaml(Path(path).read_text(encoding="utf-8"))
