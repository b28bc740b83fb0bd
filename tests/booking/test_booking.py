"""Atomic booking: capacity held by the database, also under a race on real PostgreSQL."""

from __future__ import annotations

import threading
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from bot.booking.models import Appointment, AppointmentStatus
from bot.booking.slots import next_slots
from bot.db import session_scope
from bot.handoff import SlotTaken, TooManyAppointments, book, cancel, move, upcoming_for_resident
from bot.handoff.seats import seats_taken
from bot.residents import resident_for_phone
from bot.tickets.models import CancelledBy
from tests.booking.helpers import WINDOW, make_place, make_resident
from tests.support.live_bot import TEST_SECRETS

HASH_KEY = TEST_SECRETS["HASH_KEY"]

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=timezone.utc)


def race(engine, attempts: int) -> tuple[int, int]:
    """`attempts` residents, each in its own thread and session, book the same slot."""
    with session_scope(engine) as s:
        make_place(s, schedule="Tu 14:00-15:00", capacity=1)
        slot = next_slots(s, now=NOW, limit=1, window=WINDOW)[0]
        resident_ids = [resident_for_phone(s, f"+3361234{i:04d}", HASH_KEY).id for i in range(attempts)]
    barrier = threading.Barrier(attempts)
    results: list[str] = []
    lock = threading.Lock()

    def attempt(resident_id: int) -> None:
        from bot.residents import Resident

        barrier.wait()
        try:
            with session_scope(engine) as s:
                book(s, s.get(Resident, resident_id), slot, now=NOW, limit=2)
            outcome = "booked"
        except SlotTaken:
            outcome = "taken"
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=attempt, args=(rid,)) for rid in resident_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with session_scope(engine) as s:
        stored = s.execute(select(Appointment).where(Appointment.status == AppointmentStatus.BOOKED)).scalars().all()
        assert len(stored) == results.count("booked")
        # The loser of the race gets new slots, not an error.
        assert next_slots(s, now=NOW, limit=1, window=WINDOW)[0].start != slot.start
    return results.count("booked"), results.count("taken")


@pytest.mark.postgres
def test_fifty_simultaneous_attempts_on_postgresql_give_one_booking(pg_engine):
    assert race(pg_engine, 50) == (1, 49)


def test_simultaneous_attempts_on_sqlite_give_one_booking(db_engine):
    assert race(db_engine, 10) == (1, 9)


def test_a_workshop_takes_as_many_people_as_its_capacity(db_engine):
    with session_scope(db_engine) as s:
        make_place(s, schedule="Th 14:00-15:30", slot_minutes=90, capacity=3, kind="atelier")
        slot = next_slots(s, now=NOW, kind="atelier", limit=1, window=WINDOW)[0]
        for i in range(3):
            book(s, resident_for_phone(s, f"+3361111000{i}", HASH_KEY), slot, now=NOW, limit=2)
        with pytest.raises(SlotTaken):
            book(s, resident_for_phone(s, "+33611110009", HASH_KEY), slot, now=NOW, limit=2)
        assert seats_taken(s, slot.permanence_id, slot.start) == 3


def test_cancelling_frees_the_slot_at_once(db_engine):
    with session_scope(db_engine) as s:
        make_place(s, schedule="Tu 14:00-15:00")
        slot = next_slots(s, now=NOW, limit=1, window=WINDOW)[0]
        appointment = book(s, make_resident(s), slot, now=NOW, limit=2)
        assert next_slots(s, now=NOW, limit=1, window=WINDOW)[0].start != slot.start
        cancel(s, appointment, by=CancelledBy.RESIDENT, actor="resident")
        assert appointment.status == AppointmentStatus.EXCUSED
        assert next_slots(s, now=NOW, limit=1, window=WINDOW)[0].start == slot.start
        book(s, resident_for_phone(s, "+33699999999", HASH_KEY), slot, now=NOW, limit=2)


def test_a_resident_holds_at_most_the_configured_number_of_appointments(db_engine):
    with session_scope(db_engine) as s:
        make_place(s, schedule="Tu 14:00-17:00")
        resident = make_resident(s)
        slots = next_slots(s, now=NOW, limit=3, window=WINDOW)
        book(s, resident, slots[0], now=NOW, limit=2)
        book(s, resident, slots[1], now=NOW, limit=2)
        with pytest.raises(TooManyAppointments):
            book(s, resident, slots[2], now=NOW, limit=2)
        assert len(upcoming_for_resident(s, resident.id, NOW)) == 2


def test_moving_books_the_new_slot_and_frees_the_old_one(db_engine):
    with session_scope(db_engine) as s:
        make_place(s, schedule="Tu 14:00-17:00")
        resident = make_resident(s)
        first, second, _ = next_slots(s, now=NOW, limit=3, window=WINDOW)
        old = book(s, resident, first, now=NOW, limit=2)
        new = move(s, old, second, by=CancelledBy.RESIDENT, actor="resident", limit=2)
        assert old.status == AppointmentStatus.EXCUSED and new.status == AppointmentStatus.BOOKED
        assert seats_taken(s, first.permanence_id, first.start) == 0


def test_moving_to_a_slot_taken_meanwhile_keeps_the_old_appointment(db_engine):
    with session_scope(db_engine) as s:
        make_place(s, schedule="Tu 14:00-17:00")
        resident = make_resident(s)
        first, second, _ = next_slots(s, now=NOW, limit=3, window=WINDOW)
        old = book(s, resident, first, now=NOW, limit=2)
        book(s, resident_for_phone(s, "+33699999998", HASH_KEY), second, now=NOW, limit=2)
        with pytest.raises(SlotTaken):
            move(s, old, second, by=CancelledBy.RESIDENT, actor="resident", limit=2)
        s.refresh(old)
        assert old.status == AppointmentStatus.BOOKED
        assert seats_taken(s, first.permanence_id, first.start) == 1
