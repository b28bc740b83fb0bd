"""Seats: the database, not the code, holds a slot's capacity.

A slot of capacity N has seats 1..N (bot/booking/models.py). Taking a seat
inserts the first free one in a SAVEPOINT: a unique violation means another
process took it first, and the next seat is tried. Freeing deletes the seat,
so the slot is offered again at once. Only bot.handoff.service calls this.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.booking.models import Appointment, AppointmentStatus, SlotSeat
from bot.booking.slots import Slot
from bot.booking.timeutil import as_utc
from bot.places.models import Permanence
from bot.residents import Resident


class SlotTaken(Exception):
    """Every seat of the slot is taken: offer other slots."""


class TooManyAppointments(Exception):
    """The resident already holds the maximum number of future appointments."""


class AlreadyBooked(SlotTaken):
    """The resident already holds a seat of this session (a workshop slot): one seat a person."""


def upcoming_for_resident(session: Session, resident_id: int, now: datetime | None = None) -> list[Appointment]:
    now = as_utc(now or datetime.now(timezone.utc))
    return list(
        session.execute(
            select(Appointment)
            .where(
                Appointment.resident_id == resident_id,
                Appointment.status == AppointmentStatus.BOOKED,
                Appointment.end > now,
            )
            .order_by(Appointment.start)
        ).scalars()
    )


def take_seat(
    session: Session, resident: Resident, slot: Slot, *, limit: int, now: datetime | None = None
) -> Appointment:
    """The first free seat of `slot` for `resident`, or `SlotTaken`. The caller commits."""
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
                    status=AppointmentStatus.BOOKED,
                )
                session.add(appointment)
                session.flush()
                session.add(
                    SlotSeat(
                        permanence_id=permanence.id,
                        start=start,
                        seat=seat,
                        resident_id=resident.id,
                        appointment_id=appointment.id,
                    )
                )
                session.flush()
            return appointment
        except IntegrityError:
            if holds_seat(session, resident.id, permanence.id, start):
                raise AlreadyBooked(slot.key()) from None
            continue
    raise SlotTaken(slot.key())


def holds_seat(session: Session, resident_id: int, permanence_id: int, start: datetime) -> bool:
    return (
        session.execute(
            select(SlotSeat.id).where(
                SlotSeat.resident_id == resident_id,
                SlotSeat.permanence_id == permanence_id,
                SlotSeat.start == as_utc(start),
            )
        ).first()
        is not None
    )


def free_seat(session: Session, appointment: Appointment) -> None:
    session.execute(delete(SlotSeat).where(SlotSeat.appointment_id == appointment.id))


def seats_taken(session: Session, permanence_id: int, start: datetime) -> int:
    return session.execute(
        select(func.count())
        .select_from(SlotSeat)
        .where(SlotSeat.permanence_id == permanence_id, SlotSeat.start == as_utc(start))
    ).scalar_one()
