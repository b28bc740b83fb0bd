"""Dates and times written the French way, with no dependency on the system locale.

A helper of the text modules (no EXAMPLES): a UTC moment at the place's wall time.
"""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def french_time(moment: datetime) -> str:
    """14:00 -> '14 h', 14:30 -> '14 h 30'."""
    return f"{moment.hour} h" if moment.minute == 0 else f"{moment.hour} h {moment.minute:02d}"


def french_day(moment: datetime) -> str:
    """'mardi 3 décembre' ('1er' for the first of the month)."""
    day = "1er" if moment.day == 1 else str(moment.day)
    return f"{DAYS[moment.weekday()]} {day} {MONTHS[moment.month - 1]}"


def french_datetime(moment_utc: datetime, tz: str = "Europe/Paris") -> str:
    """A UTC moment at the place's wall time: 'mardi 3 décembre à 14 h'."""
    naive = moment_utc.tzinfo is None  # SQLite returns naive datetimes: they were stored in UTC
    moment = (moment_utc.replace(tzinfo=timezone.utc) if naive else moment_utc).astimezone(ZoneInfo(tz))
    return f"{french_day(moment)} à {french_time(moment)}"
