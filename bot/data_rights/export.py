"""The right of access: everything held about one phone number, as JSON.

A coordinateur runs it on a resident's request, from the desk or the CLI
(`python -m bot privacy export +33612345678`). It gathers the resident rows
of the number (its SMS conversation and the web conversations where it was
given), their conversations as stored, appointments, tickets with their
history, the SMS sent to the number, the inbound records, the opt-out and
the phone calls (when, how long; nothing is recorded of what was said but the conversation),
their messages kept for the review inbox (redacted, with how they were labelled),
and the webhook events about their appointments and tickets with the system each went to.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.booking.models import Appointment
from bot.conversations.models import ConversationHold, ConversationMessage
from bot.data_rights.erasure import residents_for_phone
from bot.places.models import Place
from bot.privacy.conversations import conversation_messages
from bot.privacy.hashing import phone_hash
from bot.residents import sms_conversation_id
from bot.review.models import ReviewItem
from bot.sms.models import InboundMessage, OptOut, OutboundMessage
from bot.tickets.models import Ticket, TicketEvent
from bot.voice.models import VoiceCall
from bot.waitlist import service as waitlist
from bot.webhooks.subscriptions import sent_about


def _when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_for_phone(session: Session, e164: str, key: str) -> dict:
    """Everything held about `e164` (E.164), JSON-serialisable (`key`: HASH_KEY)."""
    hashed = phone_hash(e164, key)
    residents = residents_for_phone(session, e164, key)
    resident_ids = [r.id for r in residents] or [-1]
    conversation_ids = sorted({sms_conversation_id(e164, key), *(r.conversation_id for r in residents)})

    places = {p.id: p.nom for p in session.execute(sa.select(Place)).scalars()}
    appointments = (
        session.execute(
            sa.select(Appointment).where(Appointment.resident_id.in_(resident_ids)).order_by(Appointment.start)
        )
        .scalars()
        .all()
    )
    tickets = (
        session.execute(sa.select(Ticket).where(Ticket.resident_id.in_(resident_ids)).order_by(Ticket.id))
        .scalars()
        .all()
    )
    ticket_ids = [t.id for t in tickets] or [-1]
    sent = (
        session.execute(
            sa.select(OutboundMessage)
            .where(
                sa.or_(
                    OutboundMessage.to_hash == hashed,
                    OutboundMessage.ticket_id.in_(ticket_ids),
                )
            )
            .order_by(OutboundMessage.id)
        )
        .scalars()
        .all()
    )
    received = (
        session.execute(sa.select(InboundMessage).where(InboundMessage.from_hash == hashed).order_by(InboundMessage.id))
        .scalars()
        .all()
    )
    opt_out = session.execute(sa.select(OptOut).where(OptOut.phone_hash == hashed)).scalar_one_or_none()
    calls = (
        session.execute(
            sa.select(VoiceCall)
            .where(sa.or_(VoiceCall.caller_hash == hashed, VoiceCall.conversation_id.in_(conversation_ids)))
            .order_by(VoiceCall.id)
        )
        .scalars()
        .all()
    )
    reviewed = (
        session.execute(
            sa.select(ReviewItem).where(ReviewItem.conversation_id.in_(conversation_ids)).order_by(ReviewItem.id)
        )
        .scalars()
        .all()
    )

    return {
        "phone": e164,
        "generated_at": _when(datetime.now(timezone.utc)),
        "residents": [
            {
                "id": r.id,
                "channel": r.channel,
                "phone": r.phone_e164,
                "first_name": r.first_name,
                "created_at": _when(r.created_at),
                "last_seen_at": _when(r.last_seen_at),
            }
            for r in residents
        ],
        "conversations": [
            {"conversation_id": cid, "messages": conversation_messages(session, cid)} for cid in conversation_ids
        ],
        "held_conversations": _held(session, conversation_ids),
        "waitlist": waitlist.export(session, [r.id for r in residents], hashed),
        "appointments": [
            {
                "id": a.id,
                "place": places.get(a.place_id),
                "start": _when(a.start),
                "end": _when(a.end),
                "status": a.status,
                "created_at": _when(a.created_at),
                "cancelled_at": _when(a.cancelled_at),
            }
            for a in appointments
        ],
        "tickets": [_ticket(session, t, places) for t in tickets],
        "sms_sent": [
            {
                "id": m.id,
                "at": _when(m.created_at),
                "to": m.to_e164,
                "body": m.body,
                "purpose": m.purpose,
                "status": m.status,
            }
            for m in sent
        ],
        "sms_received": [{"at": _when(m.received_at), "status": m.status} for m in received],
        "opt_out": {"since": _when(opt_out.since), "source": opt_out.source} if opt_out else None,
        "voice_calls": [
            {
                "started_at": _when(c.started_at),
                "ended_at": _when(c.ended_at),
                "duration_seconds": c.duration_seconds,
                "turns": c.turns,
                "status": c.status,
            }
            for c in calls
        ],
        "review_items": [
            {
                "at": _when(r.created_at),
                "conversation_id": r.conversation_id,
                "channel": r.channel,
                "reason": r.reason,
                "text": r.text,
                "context": r.context,
                "answered_with": r.answered_with,
                "label": r.label,
                "label_answer": r.label_answer,
                "labelled_at": _when(r.labelled_at),
            }
            for r in reviewed
        ],
        "webhooks_sent": sent_about(session, [a.id for a in appointments], [t.id for t in tickets]),
    }


def _held(session: Session, conversation_ids: list[str]) -> list[dict]:
    """Conversations a conseiller held (bot/conversations/), with what was said meanwhile."""
    found = []
    for hold in session.execute(
        sa.select(ConversationHold)
        .where(ConversationHold.conversation_id.in_(conversation_ids))
        .order_by(ConversationHold.id)
    ).scalars():
        messages = session.execute(
            sa.select(ConversationMessage)
            .where(ConversationMessage.hold_id == hold.id)
            .order_by(ConversationMessage.id)
        ).scalars()
        found.append(
            {
                "conversation_id": hold.conversation_id,
                "held_by": hold.holder_name,
                "started_at": _when(hold.started_at),
                "ended_at": _when(hold.ended_at),
                "end_reason": hold.end_reason,
                "messages": [
                    {"at": _when(m.at), "from": m.author, "name": m.author_name, "kind": m.kind, "text": m.text}
                    for m in messages
                ],
            }
        )
    return found


def _ticket(session: Session, ticket: Ticket, places: dict) -> dict:
    history = session.execute(
        sa.select(TicketEvent).where(TicketEvent.ticket_id == ticket.id).order_by(TicketEvent.id)
    ).scalars()
    return {
        "id": ticket.id,
        "status": ticket.status,
        "thematique": ticket.thematique,
        "route": ticket.route,
        "place": places.get(ticket.place_id),
        "appointment_id": ticket.appointment_id,
        "triage": ticket.triage,
        "activity_report": ticket.activity_report,
        "transcript": ticket.transcript_excerpt,
        "prescribed_by": ticket.prescriber_structure,
        "created_at": _when(ticket.created_at),
        "updated_at": _when(ticket.updated_at),
        "history": [{"at": _when(e.at), "actor": e.actor, "kind": e.kind, "detail": e.detail} for e in history],
    }
