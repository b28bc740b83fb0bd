"""Time helpers: UTC in the database, the place's wall time for people."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo


def as_utc(value: datetime) -> datetime:
    """SQLite returns naive datetimes: they were stored in UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def local(value: datetime, tz: str = "Europe/Paris") -> datetime:
    return as_utc(value).astimezone(ZoneInfo(tz))


def wall_to_utc(naive_local: datetime, tz: str) -> datetime:
    """A wall-clock time at the place -> UTC (DST-aware through zoneinfo)."""
    return naive_local.replace(tzinfo=ZoneInfo(tz)).astimezone(timezone.utc)
