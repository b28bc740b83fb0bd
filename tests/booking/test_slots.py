"""Slots computed from opening_hours schedules: holidays, closures, absences, DST, full slots."""

from __future__ import annotations

from datetime import date, datetime, timezone

from bot.booking.slots import next_slots
from bot.booking.timeutil import local
from bot.db import session_scope
from bot.handoff import book
from bot.places.models import Absence, Closure
from tests.booking.helpers import WINDOW, make_place, make_resident

UTC = timezone.utc


def local_starts(slots):
    return [local(s.start).strftime("%Y-%m-%d %H:%M") for s in slots]


def test_slots_follow_the_schedule_in_wall_time(db_engine):
    with session_scope(db_engine) as s:
        make_place(s, schedule="Tu 14:00-17:00")
        slots = next_slots(s, now=datetime(2026, 12, 7, 8, 0, tzinfo=UTC), limit=3, window=WINDOW)  # a Monday
    assert local_starts(slots) == ["2026-12-08 14:00", "2026-12-08 15:00", "2026-12-08 16:00"]


def test_a_moselle_public_holiday_has_no_slot(db_engine):
    # 26 December 2026 is a Saturday; Vendredi saint 2027 is Friday 26 March (Moselle only).
    with session_scope(db_engine) as s:
        make_place(s, schedule="Fr 09:00-10:00", slot_minutes=60)
        slots = next_slots(s, now=datetime(2027, 3, 20, 8, 0, tzinfo=UTC), limit=2, window=WINDOW)
    assert local_starts(slots) == ["2027-04-02 09:00", "2027-04-09 09:00"]


def test_a_national_public_holiday_has_no_slot(db_engine):
    # Friday 25 December 2026 (Noël) and Friday 1 January 2027 are closed.
    with session_scope(db_engine) as s:
        make_place(s, schedule="Fr 09:00-10:00", slot_minutes=60)
        slots = next_slots(s, now=datetime(2026, 12, 21, 8, 0, tzinfo=UTC), limit=1, window=WINDOW)
    assert local_starts(slots) == ["2027-01-08 09:00"]


def test_a_closure_removes_its_days(db_engine):
    with session_scope(db_engine) as s:
        place, _ = make_place(s, schedule="Tu 14:00-15:00")
        s.add(Closure(place_id=place.id, start_date=date(2026, 12, 8), end_date=date(2026, 12, 15), reason="travaux"))
        s.flush()
        slots = next_slots(s, now=datetime(2026, 12, 7, 8, 0, tzinfo=UTC), limit=1, window=WINDOW)
    assert local_starts(slots) == ["2026-12-22 14:00"]


def test_an_absence_of_the_conseiller_removes_the_slots_it_covers(db_engine):
    with session_scope(db_engine) as s:
        _, permanence = make_place(s, schedule="Tu 14:00-17:00")
        s.add(
            Absence(
                conseiller_id=permanence.conseiller_id,
                start=datetime(2026, 12, 8, 13, 0, tzinfo=UTC),
                end=datetime(2026, 12, 8, 15, 0, tzinfo=UTC),
            )
        )
        s.flush()
        slots = next_slots(s, now=datetime(2026, 12, 7, 8, 0, tzinfo=UTC), limit=2, window=WINDOW)
    # 14:00 and 15:00 Paris (13:00-15:00 UTC) are covered; 16:00 Paris remains.
    assert local_starts(slots) == ["2026-12-08 16:00", "2026-12-15 14:00"]


def test_daylight_saving_weekends_keep_wall_times(db_engine):
    # Summer time starts Sunday 29 March 2026 and ends Sunday 25 October 2026.
    with session_scope(db_engine) as s:
        make_place(s, schedule="Sa,Mo 10:00-11:00", slot_minutes=60)
        spring = next_slots(s, now=datetime(2026, 3, 27, 8, 0, tzinfo=UTC), limit=2, window=WINDOW)
        autumn = next_slots(s, now=datetime(2026, 10, 23, 8, 0, tzinfo=UTC), limit=2, window=WINDOW)
    assert local_starts(spring) == ["2026-03-28 10:00", "2026-03-30 10:00"]
    assert [s.start.hour for s in spring] == [9, 8]  # UTC+1 then UTC+2
    assert local_starts(autumn) == ["2026-10-24 10:00", "2026-10-26 10:00"]
    assert [s.start.hour for s in autumn] == [8, 9]  # UTC+2 then UTC+1


def test_a_full_slot_is_not_offered(db_engine):
    with session_scope(db_engine) as s:
        make_place(s, schedule="Tu 14:00-16:00", slot_minutes=60)
        now = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
        first = next_slots(s, now=now, limit=1, window=WINDOW)[0]
        book(s, make_resident(s), first, now=now, limit=2)
        slots = next_slots(s, now=now, limit=1, window=WINDOW)
    assert local_starts(slots) == ["2026-12-08 15:00"]


def test_minimum_notice_and_horizon(db_engine, monkeypatch):
    with session_scope(db_engine) as s:
        make_place(s, schedule="Tu 14:00-17:00", slot_minutes=60)
        # Tuesday 8 December 2026, 12:30 Paris: 2 hours of notice leaves 15:00 and 16:00.
        slots = next_slots(s, now=datetime(2026, 12, 8, 11, 30, tzinfo=UTC), limit=2, window=WINDOW)
        assert local_starts(slots) == ["2026-12-08 15:00", "2026-12-08 16:00"]
        # Nothing beyond the 28-day horizon.
        far = next_slots(s, now=datetime(2026, 12, 7, 8, 0, tzinfo=UTC), limit=100, window=WINDOW)
    assert max(local_starts(far)) < "2027-01-05"


def test_preferences_and_workshops(db_engine):
    with session_scope(db_engine) as s:
        make_place(s, schedule="Tu 09:00-10:00,14:00-15:00", slot_minutes=60)
        make_place(
            s,
            slug="atelier",
            schedule="Th 14:00-15:30",
            slot_minutes=90,
            capacity=8,
            kind="atelier",
            thematiques=["securite_numerique"],
        )
        now = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
        assert local_starts(next_slots(s, now=now, preferred="apres_midi", limit=1, window=WINDOW)) == [
            "2026-12-08 14:00"
        ]
        assert local_starts(next_slots(s, now=now, preferred="matin", limit=1, window=WINDOW)) == ["2026-12-08 09:00"]
        workshop = next_slots(s, now=now, kind="atelier", thematique="securite_numerique", limit=1, window=WINDOW)
        assert local_starts(workshop) == ["2026-12-10 14:00"] and workshop[0].remaining == 8
        assert next_slots(s, now=now, kind="atelier", thematique="email", window=WINDOW) == []
