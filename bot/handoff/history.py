"""A ticket's history: every change leaves a `TicketEvent`. Only bot.handoff.service calls this."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.handoff.events import emit
from bot.tickets.models import EventKind, Ticket, TicketEvent, TicketStatus
from bot.webhooks.models import EventType


def add_event(session: Session, ticket: Ticket, actor: str, kind: EventKind, detail: dict | None = None) -> TicketEvent:
    event = TicketEvent(ticket_id=ticket.id, actor=actor, kind=EventKind(kind), detail=detail or {})
    session.add(event)
    session.flush()
    return event


def set_status(session: Session, ticket: Ticket, status: TicketStatus, actor: str, detail: dict | None = None) -> None:
    """Move the ticket's workflow; nothing is recorded when it is already there."""
    status = TicketStatus(status)
    previous = ticket.status
    if previous == status:
        return
    ticket.status = status
    add_event(session, ticket, actor, EventKind.STATUS, {"from": previous, "to": status, **(detail or {})})
    if status == TicketStatus.CLOS:
        emit(session, EventType.TICKET_CLOSED, ticket=ticket)


def ticket_for_appointment(session: Session, appointment_id: int) -> Ticket | None:
    return session.execute(select(Ticket).where(Ticket.appointment_id == appointment_id)).scalars().first()
