"""A freed seat taken from the waitlist (bot/waitlist/): the handoff writes of it.

The resident's current appointment, if any and still to come, is moved to the
freed slot (`service.move`: both or neither, the ticket follows); without one,
the seat is booked and a ticket opened from what the entry kept of the triage.
Whoever inserts the seat first wins (the unique seat constraint, on SQLite and
PostgreSQL alike); the others get `SlotTaken` and keep what they had.
The caller commits.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.booking.models import Appointment, AppointmentStatus
from bot.booking.slots import Slot
from bot.handoff.report import HandoffRequest
from bot.handoff.service import RESIDENT, book, move, open_ticket
from bot.residents import Resident
from bot.tickets.models import CancelledBy


def take_freed_seat(
    session: Session,
    resident: Resident,
    slot: Slot,
    *,
    current: Appointment | None,
    request: HandoffRequest,
    limit: int,
) -> Appointment:
    """The freed `slot` for `resident` (`SlotTaken`, `TooManyAppointments` past `limit` appointments to come)."""
    if current is not None and current.status == AppointmentStatus.BOOKED:
        return move(session, current, slot, by=CancelledBy.RESIDENT, actor=RESIDENT, limit=limit)
    with session.begin_nested():
        appointment = book(session, resident, slot, limit=limit)
    open_ticket(session, resident, request, appointment, actor=RESIDENT)
    return appointment
