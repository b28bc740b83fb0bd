"""What a desk user may see: a coordinateur sees everything; a conseiller sees
the places where they hold a permanence, and the tickets with no place
(call-back requests, which any conseiller may take); a prescripteur sees only the
tickets they booked (and no page but their own: bot/desk/views/prescriptions.py)."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.places.models import Permanence, Place
from bot.tickets.models import Ticket


def visible_place_ids(session: Session, user) -> list[int] | None:
    """None means every place."""
    if user.is_coordinateur:
        return None
    if user.conseiller_id is None or user.is_prescripteur:
        return []
    return sorted(
        set(
            session.execute(select(Permanence.place_id).where(Permanence.conseiller_id == user.conseiller_id)).scalars()
        )
    )


def visible_places(session: Session, user) -> list[Place]:
    ids = visible_place_ids(session, user)
    query = select(Place).order_by(Place.nom)
    if ids is not None:
        query = query.where(Place.id.in_(ids or [-1]))
    return list(session.execute(query).scalars())


def tickets_query(session: Session, user):
    """A SELECT of the tickets this user may see."""
    query = select(Ticket)
    if user.is_prescripteur:
        return query.where(Ticket.prescriber_user_id == user.id)
    ids = visible_place_ids(session, user)
    if ids is not None:
        query = query.where(or_(Ticket.place_id.in_(ids or [-1]), Ticket.place_id.is_(None)))
    return query


def can_see_ticket(session: Session, user, ticket: Ticket) -> bool:
    if user.is_prescripteur:
        return ticket.prescriber_user_id == user.id
    ids = visible_place_ids(session, user)
    return ids is None or ticket.place_id is None or ticket.place_id in ids


def can_manage_permanence(user, permanence: Permanence) -> bool:
    """Schedules and cancellations are configuration: the coordinateur's job."""
    return user.is_coordinateur


def can_manage_absences_of(user, conseiller_id: int) -> bool:
    return user.is_coordinateur or user.conseiller_id == conseiller_id


def can_see_conversation(session: Session, user, conversation_id: str) -> bool:
    """A resident's conversation: a coordinateur sees all; a conseiller the ones linked to a ticket
    they may see, or that they hold or held (bot/conversations/)."""
    if user.is_coordinateur:
        return True
    if user.is_prescripteur:
        return False
    from bot.conversations.hold import hold_row, tickets_of

    hold = hold_row(session, conversation_id)
    if hold is not None and hold.user_id == user.id:
        return True
    return any(can_see_ticket(session, user, ticket) for ticket in tickets_of(session, conversation_id))
