"""The webhook outbox's one writer: each lifecycle change of bot/handoff/service.py calls `emit`,
which adds a `webhook_events` row in the same transaction (so an event exists if and only if
the change was committed). Delivery is the job's (bot/webhooks/delivery.py)."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.booking.models import Appointment, AppointmentStatus
from bot.places.models import Place
from bot.tickets.models import Ticket
from bot.webhooks import payload as payloads
from bot.webhooks.models import EventType, WebhookEvent

ATTENDANCE = {
    AppointmentStatus.SEEN: EventType.APPOINTMENT_SEEN,
    AppointmentStatus.NOSHOW: EventType.APPOINTMENT_NOSHOW,
}


def emit(
    session: Session,
    kind: EventType,
    *,
    appointment: Appointment | None = None,
    ticket: Ticket | None = None,
    previous: Appointment | None = None,
    cancelled_by: str | None = None,
    now: datetime | None = None,
) -> WebhookEvent:
    """Record one event; the appointment's ticket, or the ticket's appointment, is found when not given."""
    kind = EventType(kind)
    if ticket is None and appointment is not None and appointment.id is not None:
        ticket = session.execute(select(Ticket).where(Ticket.appointment_id == appointment.id)).scalars().first()
    if appointment is None and ticket is not None and ticket.appointment_id:
        appointment = session.get(Appointment, ticket.appointment_id)
    place_id = appointment.place_id if appointment is not None else (ticket.place_id if ticket is not None else None)
    place = session.get(Place, place_id) if place_id else None
    occurred_at = now or datetime.now(timezone.utc)
    body = payloads.build(
        kind,
        occurred_at=occurred_at,
        appointment=appointment,
        previous=previous,
        ticket=ticket,
        place=place,
        cancelled_by=cancelled_by,
    )
    row = WebhookEvent(
        uid=body["event_id"],
        kind=kind,
        occurred_at=occurred_at,
        payload=body,
        appointment_id=body["appointment_id"],
        ticket_id=body["ticket_id"],
    )
    session.add(row)
    session.flush()
    return row


def emit_attendance(session: Session, appointment: Appointment, ticket: Ticket | None) -> None:
    """Seen or no-show (back to booked is not an event receivers are told of)."""
    kind = ATTENDANCE.get(appointment.status)
    if kind is not None:
        emit(session, kind, appointment=appointment, ticket=ticket)
