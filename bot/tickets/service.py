"""Every change to a ticket goes through here and leaves an event in its history."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.tickets.models import STATUSES, Ticket, TicketEvent


def add_event(session: Session, ticket: Ticket, actor: str, kind: str, detail: dict | None = None) -> TicketEvent:
    event = TicketEvent(ticket_id=ticket.id, actor=actor, kind=kind, detail=detail or {})
    session.add(event)
    session.flush()
    return event


def create_ticket(
    session: Session,
    *,
    resident_id: int | None,
    thematique: str | None,
    triage: dict,
    activity_report: dict,
    bot_answers: list[str],
    transcript_excerpt: str,
    route: str | None = None,
    appointment_id: int | None = None,
    place_id: int | None = None,
    actor: str = "assistant",
) -> Ticket:
    ticket = Ticket(
        resident_id=resident_id,
        appointment_id=appointment_id,
        place_id=place_id,
        status="nouveau",
        thematique=thematique,
        route=route,
        triage=triage,
        activity_report=activity_report,
        bot_answers=bot_answers,
        transcript_excerpt=transcript_excerpt,
    )
    session.add(ticket)
    session.flush()
    add_event(session, ticket, actor, "created", {"status": "nouveau", "route": route})
    return ticket


def set_status(session: Session, ticket: Ticket, status: str, actor: str, detail: dict | None = None) -> Ticket:
    if status not in STATUSES:
        raise ValueError(f"unknown ticket status {status!r}")
    previous = ticket.status
    ticket.status = status
    add_event(session, ticket, actor, "status", {"from": previous, "to": status, **(detail or {})})
    return ticket


def ticket_for_appointment(session: Session, appointment_id: int) -> Ticket | None:
    return session.execute(select(Ticket).where(Ticket.appointment_id == appointment_id)).scalars().first()


def flag_sms_failure(session: Session, ticket_id: int, detail: dict) -> Ticket | None:
    """An SMS of this ticket (a reminder, a confirmation) did not arrive."""
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        return None
    ticket.delivery_problem = True
    add_event(session, ticket, "twilio", "sms_failure", detail)
    return ticket
