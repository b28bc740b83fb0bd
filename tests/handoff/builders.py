"""Test builders: a ticket with exactly the fields a test gives (the handoff core drafts its own)."""

from __future__ import annotations

from bot.tickets.models import EventKind, Ticket, TicketEvent, TicketStatus


def create_ticket(
    session,
    *,
    resident_id,
    thematique,
    triage,
    activity_report,
    bot_answers,
    transcript_excerpt,
    route=None,
    appointment_id=None,
    place_id=None,
) -> Ticket:
    ticket = Ticket(
        resident_id=resident_id,
        appointment_id=appointment_id,
        place_id=place_id,
        status=TicketStatus.NOUVEAU,
        thematique=thematique,
        route=route,
        triage=triage,
        activity_report=activity_report,
        bot_answers=bot_answers,
        transcript_excerpt=transcript_excerpt,
    )
    session.add(ticket)
    session.flush()
    session.add(
        TicketEvent(
            ticket_id=ticket.id,
            actor="assistant",
            kind=EventKind.CREATED,
            detail={"status": TicketStatus.NOUVEAU, "route": route},
        )
    )
    session.flush()
    return ticket
