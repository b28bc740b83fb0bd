"""Booking, cancelling and moving appointments, atomically."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.booking.models import Appointment, SlotSeat
from bot.booking.slots import Slot
from bot.booking.timeutil import as_utc
from bot.places.models import Permanence
from bot.residents import Resident
from bot.settings import get_settings


class SlotTaken(Exception):
    """Every seat of the slot is taken: offer other slots."""


class TooManyAppointments(Exception):
    """The resident already holds the maximum number of future appointments."""


def upcoming_for_resident(session: Session, resident_id: int, now: datetime | None = None) -> list[Appointment]:
    now = as_utc(now or datetime.now(timezone.utc))
    return list(
        session.execute(
            select(Appointment)
            .where(
                Appointment.resident_id == resident_id,
                Appointment.status == "booked",
                Appointment.end > now,
            )
            .order_by(Appointment.start)
        ).scalars()
    )


def book(session: Session, resident: Resident, slot: Slot, now: datetime | None = None) -> Appointment:
    """Take the first free seat of `slot` for `resident`.

    Each attempt runs in a SAVEPOINT: a unique violation on the seat means
    another process took it first, and the next seat is tried. When none is
    left, `SlotTaken`. The caller commits.
    """
    limit = get_settings().booking_max_future_appointments
    if len(upcoming_for_resident(session, resident.id, now)) >= limit:
        raise TooManyAppointments(limit)
    permanence = session.get(Permanence, slot.permanence_id)
    start = as_utc(slot.start)
    for seat in range(1, permanence.capacity + 1):
        try:
            with session.begin_nested():
                appointment = Appointment(
                    resident_id=resident.id,
                    permanence_id=permanence.id,
                    place_id=permanence.place_id,
                    start=start,
                    end=as_utc(slot.end),
                    status="booked",
                )
                session.add(appointment)
                session.flush()
                session.add(SlotSeat(permanence_id=permanence.id, start=start, seat=seat, appointment_id=appointment.id))
                session.flush()
            return appointment
        except IntegrityError:
            continue
    raise SlotTaken(slot.key())


def seats_taken(session: Session, permanence_id: int, start: datetime) -> int:
    return session.execute(
        select(func.count()).select_from(SlotSeat).where(
            SlotSeat.permanence_id == permanence_id, SlotSeat.start == as_utc(start)
        )
    ).scalar_one()


def cancel(session: Session, appointment: Appointment, actor: str = "resident") -> Appointment:
    """Cancel and free the seat at once."""
    session.execute(delete(SlotSeat).where(SlotSeat.appointment_id == appointment.id))
    appointment.status = "cancelled"
    appointment.cancelled_at = datetime.now(timezone.utc)
    session.flush()
    return appointment


def move(session: Session, appointment: Appointment, new_slot: Slot) -> Appointment:
    """Cancel the old appointment and book the new slot, both or neither.

    If the new slot is taken meanwhile, the SAVEPOINT rolls the cancellation
    back: the resident keeps the old appointment and gets `SlotTaken`.
    """
    resident = session.get(Resident, appointment.resident_id)
    with session.begin_nested():
        cancel(session, appointment, actor="resident")
        return book(session, resident, new_slot)
