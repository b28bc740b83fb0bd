"""Bookable slots, computed from the permanences' `opening_hours` schedules.

A permanence's schedule is parsed by opening-hours-py in the place's wall
time; each open interval is cut into slots of `slot_minutes`. Removed: public
holidays of the place's region (the `holidays` library), closures, the
conseiller's absences, slots closer than the minimum notice or beyond the
horizon, full slots, and days up to a place's or a permanence's `closed_until`. Wall times are turned into UTC with zoneinfo, so a
14 h slot stays at 14 h across daylight-saving changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache

import holidays
from opening_hours import OpeningHours, State
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.booking.models import SlotSeat
from bot.booking.timeutil import as_utc, local, wall_to_utc
from bot.places.models import Absence, Closure, Permanence, Place, closed_on
from bot.settings import Settings

MORNING_END_HOUR = 12
WEEKDAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


@dataclass(frozen=True)
class BookingWindow:
    """Which slots may be offered: from `min_notice_hours` to `horizon_days` ahead, in `timezone` for a
    place without one (BOOKING_MIN_NOTICE_HOURS, BOOKING_HORIZON_DAYS, TIMEZONE: read at the entry
    points with `of(settings)`)."""

    min_notice_hours: int
    horizon_days: int
    timezone: str

    @classmethod
    def of(cls, settings: Settings) -> BookingWindow:
        return cls(settings.booking_min_notice_hours, settings.booking_horizon_days, settings.timezone)


@dataclass(frozen=True)
class Slot:
    permanence_id: int
    place_id: int
    start: datetime  # UTC
    end: datetime  # UTC
    capacity: int
    remaining: int

    def key(self) -> str:
        return f"{self.permanence_id}@{self.start.isoformat()}"

    def as_dict(self) -> dict:
        return {"permanence_id": self.permanence_id, "start": self.start.isoformat()}


@lru_cache(maxsize=32)
def public_holidays(country: str, subdiv: str | None, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country, subdiv=subdiv, years=year).keys())


def is_public_holiday(place: Place, day: date) -> bool:
    return day in public_holidays(place.holidays_country or "FR", place.holidays_subdiv, day.year)


def matches_preference(start_local: datetime, preferred: str | None) -> bool:
    """`preferred`: 'matin', 'apres_midi', a French weekday, or 'mardi matin'."""
    if not preferred:
        return True
    words = preferred.split()
    for word in words:
        if word == "matin" and start_local.hour >= MORNING_END_HOUR:
            return False
        if word == "apres_midi" and start_local.hour < MORNING_END_HOUR:
            return False
        if word in WEEKDAYS_FR and WEEKDAYS_FR[start_local.weekday()] != word:
            return False
    return True


def _candidate_starts(permanence: Permanence, tz: str, start_local: datetime, end_local: datetime):
    """Wall-clock slot starts of a permanence between two naive local times."""
    schedule = OpeningHours(permanence.schedule)
    length = timedelta(minutes=permanence.slot_minutes)
    for opens, closes, state, _comment in schedule.intervals(start_local, end_local):
        if state != State.OPEN:
            continue
        cursor = opens
        while cursor + length <= closes:
            yield cursor
            cursor += length


def booked_counts(session: Session, permanence_ids: list[int], after: datetime) -> dict[tuple[int, datetime], int]:
    rows = session.execute(
        select(SlotSeat.permanence_id, SlotSeat.start, func.count())
        .where(SlotSeat.permanence_id.in_(permanence_ids), SlotSeat.start >= after)
        .group_by(SlotSeat.permanence_id, SlotSeat.start)
    ).all()
    return {(pid, as_utc(start)): count for pid, start, count in rows}


def next_slots(
    session: Session,
    *,
    now: datetime | None = None,
    thematique: str | None = None,
    place_ids: list[int] | None = None,
    preferred: str | None = None,
    kind: str = "individuel",
    limit: int = 3,
    exclude: tuple[str, ...] | list[str] = (),
    window: BookingWindow,
) -> list[Slot]:
    """The next `limit` free slots that fit, earliest first, across permanences, inside `window`."""
    now = as_utc(now or datetime.now(timezone.utc))
    earliest = now + timedelta(hours=window.min_notice_hours)
    latest = now + timedelta(days=window.horizon_days)
    query = (
        select(Permanence)
        .join(Place)
        .where(Permanence.active.is_(True), Place.active.is_(True), Permanence.kind == kind)
    )
    if place_ids:
        query = query.where(Permanence.place_id.in_(place_ids))
    permanences = [
        p
        for p in session.execute(query).scalars()
        if thematique is None or not p.thematiques or thematique in p.thematiques
    ]
    if not permanences:
        return []
    counts = booked_counts(session, [p.id for p in permanences], earliest)
    closures = session.execute(select(Closure)).scalars().all()
    absences = session.execute(select(Absence).where(Absence.end >= earliest)).scalars().all()
    excluded = set(exclude)
    found: list[Slot] = []
    for permanence in permanences:
        place = permanence.place
        tz = place.timezone or window.timezone
        # From local midnight, so that slots stay aligned on the schedule's opening times.
        start_local = local(earliest, tz).replace(tzinfo=None, hour=0, minute=0, second=0, microsecond=0)
        end_local = local(latest, tz).replace(tzinfo=None)
        place_closures = [c for c in closures if c.place_id == place.id]
        own_absences = [a for a in absences if a.conseiller_id == permanence.conseiller_id]
        taken_here = 0
        for wall_start in _candidate_starts(permanence, tz, start_local, end_local):
            start = wall_to_utc(wall_start, tz)
            end = wall_to_utc(wall_start + timedelta(minutes=permanence.slot_minutes), tz)
            if start < earliest or start > latest:
                continue
            day = wall_start.date()
            if closed_on(place, day) or closed_on(permanence, day):
                continue
            if is_public_holiday(place, day):
                continue
            if any(c.start_date <= day <= c.end_date for c in place_closures):
                continue
            if any(as_utc(a.start) < end and start < as_utc(a.end) for a in own_absences):
                continue
            if not matches_preference(wall_start, preferred):
                continue
            remaining = permanence.capacity - counts.get((permanence.id, start), 0)
            slot = Slot(permanence.id, place.id, start, end, permanence.capacity, remaining)
            if remaining <= 0 or slot.key() in excluded:
                continue
            found.append(slot)
            taken_here += 1
            if taken_here >= limit:
                break  # later slots of this permanence cannot be among the first `limit`
    found.sort(key=lambda s: (s.start, s.place_id))
    return found[:limit]
