"""When each answer and each place was last checked, and which ones are due for a new check.

Facts change every year (a law, a phone number, a building that burns), so every
answer carries its `sources` and the date it was `checked`
(data/answers/checks.yml, one entry per response of bot/domain/), and every place
its "vérifié le" date (`checked` in data/places/<city>.yml, `Place.checked_on` in the
database, where the desk keeps it). `due()` lists what was checked more than
ANSWER_REVIEW_DAYS ago (or never), the most used first: an answer by how many times
the assistant sent it (Rasa's own record of bot messages, the tracker store's
`events` table: each templated message names its response in `metadata.utter_action`),
a place by its appointments, over the last USE_WINDOW_DAYS.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from sqlalchemy import func, inspect, select, text
from sqlalchemy.orm import Session

from bot.settings import ROOT
from bot.yaml_files import load_yaml

CHECKS_FILE = ROOT / "data" / "answers" / "checks.yml"
DOMAIN_DIR = ROOT / "bot" / "domain"
USE_WINDOW_DAYS = 30


@dataclass(frozen=True)
class AnswerCheck:
    key: str
    sources: tuple[str, ...]
    checked: date | None


@dataclass(frozen=True)
class DueItem:
    kind: str  # "answer" | "place"
    key: str  # response name, or place slug
    checked: date | None
    used: int | None  # sent (answer) or booked (place) in the window; None: no record to count from


def read_checks(path: Path = CHECKS_FILE) -> dict[str, AnswerCheck]:
    data = load_yaml(Path(path).read_text(encoding="utf-8")) or {}
    checks = {}
    for key, entry in (data.get("answers") or {}).items():
        entry = entry or {}
        checked = entry.get("checked")
        if checked is not None and not isinstance(checked, date):
            checked = date.fromisoformat(str(checked))
        checks[key] = AnswerCheck(key, tuple(str(s) for s in entry.get("sources") or []), checked)
    return checks


def response_names(domain_dir: Path = DOMAIN_DIR) -> list[str]:
    """Every response of the domain, in file order: each text a resident can get."""
    names = []
    for path in sorted(Path(domain_dir).glob("*.yml")):
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
        names += list((data.get("responses") or {}).keys())
    return names


def sent_counts(session: Session, since: datetime) -> dict[str, int] | None:
    """How many times each response was sent since `since`; None when the database holds no
    record of bot messages (Rasa's tracker store is elsewhere or was never written)."""
    if not inspect(session.get_bind()).has_table("events"):
        return None
    rows = session.execute(
        text("SELECT data FROM events WHERE type_name = 'bot' AND timestamp >= :since"),
        {"since": since.timestamp()},
    ).scalars()
    counts: dict[str, int] = {}
    for raw in rows:
        try:
            name = (json.loads(raw).get("metadata") or {}).get("utter_action")
        except (TypeError, ValueError, AttributeError):
            continue
        if name:
            counts[name] = counts.get(name, 0) + 1
    return counts


def booked_counts(session: Session, since: datetime) -> dict[int, int]:
    from bot.booking.models import Appointment

    rows = session.execute(
        select(Appointment.place_id, func.count()).where(Appointment.created_at >= since).group_by(Appointment.place_id)
    ).all()
    return {place_id: count for place_id, count in rows}


def is_due(checked: date | None, today: date, review_days: int) -> bool:
    return checked is None or (today - checked).days > review_days


def due(
    session: Session,
    *,
    today: date,
    review_days: int,
    checks: dict[str, AnswerCheck] | None = None,
    names: list[str] | None = None,
) -> tuple[list[DueItem], bool]:
    """(answers and places due for a check, most used first then oldest; whether use was counted)."""
    from bot.places.models import Place

    checks = read_checks() if checks is None else checks
    since = datetime.combine(today - timedelta(days=USE_WINDOW_DAYS), time(0), tzinfo=timezone.utc)
    sent = sent_counts(session, since)
    items = []
    for name in response_names() if names is None else names:
        check = checks.get(name)
        checked = check.checked if check else None
        if is_due(checked, today, review_days):
            items.append(DueItem("answer", name, checked, None if sent is None else sent.get(name, 0)))
    booked = booked_counts(session, since)
    for place in session.execute(select(Place).where(Place.active.is_(True)).order_by(Place.id)).scalars():
        if is_due(place.checked_on, today, review_days):
            items.append(DueItem("place", place.slug, place.checked_on, booked.get(place.id, 0)))
    items.sort(key=lambda i: (-(i.used or 0), i.checked or date.min, i.kind, i.key))
    return items, sent is not None
