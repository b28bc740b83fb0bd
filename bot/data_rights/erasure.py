"""The right to erasure: forget one person, keep anonymous statistics.

A resident writes "SUPPRIMER MES DONNEES" (SMS or widget) and confirms with
OUI (actions/privacy.py), or a coordinateur erases on a letter's request
(`python -m bot privacy erase +336...`). Either way, for that person:

- their Rasa conversations are deleted (every event of their conversation ids);
- their tickets lose their personal fields (bot/data_rights/anonymise.py);
- their future appointments are cancelled, the slot freed at once;
- the SMS sent to them lose body and number; the inbound dedupe rows go;
- their resident rows lose phone number, first name and conversation id;
- the widget's last stored answer of their conversations goes (bot/web/deliveries.py);
- the state of their phone calls goes (bot/voice/models.py).
- the holds of their conversations by a conseiller and their messages go (bot/conversations/);
- their waitlist entries and the freed seats offered to them go (bot/waitlist/);
- their messages kept for the review inbox go (bot/review/), labelled or not.

The opt-out list (STOP) is kept: it holds only a keyed hash, and forgetting
it would make the service text someone who refused it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot import handoff
from bot.booking.models import Appointment, AppointmentStatus
from bot.booking.timeutil import as_utc
from bot.conversations.models import ConversationHold, ConversationMessage
from bot.data_rights.anonymise import anonymise_outbound, anonymise_resident, anonymise_ticket
from bot.privacy.conversations import delete_conversations
from bot.privacy.hashing import phone_hash
from bot.residents import Resident, sms_conversation_id
from bot.review.models import ReviewItem
from bot.sms.models import InboundMessage, OutboundMessage
from bot.tickets.models import CancelledBy, Ticket
from bot.voice.models import VoiceCall
from bot.waitlist import service as waitlist
from bot.web.deliveries import WebDelivery

# The erasure action sets this slot to this value; the tracker store
# (bot/rasa_stores.py) then deletes the conversation instead of saving it.
ERASURE_SLOT = "erasure_confirmation"
ERASED_VALUE = "effacé"


@dataclass
class ErasureReport:
    residents: int = 0
    conversation_events: int = 0
    tickets: int = 0
    appointments_cancelled: int = 0
    sms_sent: int = 0
    sms_received: int = 0
    voice_calls: int = 0
    waitlist_entries: int = 0
    review_items: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def residents_for_phone(session: Session, e164: str, key: str) -> list[Resident]:
    """Every resident row of this number: its SMS conversation and web ones where it was given
    (`key`: HASH_KEY)."""
    hashed = phone_hash(e164, key)
    return list(
        session.execute(
            sa.select(Resident)
            .where(sa.or_(Resident.conversation_id == sms_conversation_id(e164, key), Resident.phone_hash == hashed))
            .order_by(Resident.id)
        ).scalars()
    )


def residents_for_conversation(session: Session, conversation_id: str) -> list[Resident]:
    """The resident of a conversation, and the other rows of the same phone number."""
    resident = session.execute(
        sa.select(Resident).where(Resident.conversation_id == conversation_id)
    ).scalar_one_or_none()
    if resident is None:
        return []
    if not resident.phone_hash:
        return [resident]
    same_phone = session.execute(
        sa.select(Resident).where(Resident.phone_hash == resident.phone_hash, Resident.id != resident.id)
    ).scalars()
    return [resident, *same_phone]


def erase_phone(session: Session, e164: str, key: str, now: datetime | None = None) -> ErasureReport:
    """Erase everything held about this phone number (CLI, desk; `key`: HASH_KEY)."""
    return erase_residents(
        session,
        residents_for_phone(session, e164, key),
        now=now,
        conversation_ids=[sms_conversation_id(e164, key)],
        hashes=[phone_hash(e164, key)],
    )


def erase_conversation(session: Session, conversation_id: str, now: datetime | None = None) -> ErasureReport:
    """Erase the person of this Rasa conversation (the SUPPRIMER MES DONNEES action)."""
    return erase_residents(
        session,
        residents_for_conversation(session, conversation_id),
        now=now,
        conversation_ids=[conversation_id],
    )


def erase_residents(
    session: Session,
    residents: list[Resident],
    *,
    now: datetime | None = None,
    conversation_ids: list[str] = (),
    hashes: list[str] = (),
) -> ErasureReport:
    now = as_utc(now or datetime.now(timezone.utc))
    report = ErasureReport()
    conversations, phone_hashes = set(conversation_ids), set(hashes)
    ticket_ids: set[int] = set()
    for resident in residents:
        conversations.add(resident.conversation_id)
        if resident.phone_hash:
            phone_hashes.add(resident.phone_hash)
        report.appointments_cancelled += _cancel_future_appointments(session, resident, now)
        tickets = session.execute(sa.select(Ticket).where(Ticket.resident_id == resident.id)).scalars().all()
        for ticket in tickets:
            ticket_ids.add(ticket.id)
            if anonymise_ticket(session, ticket):
                report.tickets += 1
        if anonymise_resident(resident):
            report.residents += 1
    sent = sa.select(OutboundMessage).where(
        sa.or_(
            OutboundMessage.to_hash.in_(list(phone_hashes) or [""]),
            OutboundMessage.ticket_id.in_(list(ticket_ids) or [-1]),
        )
    )
    for message in session.execute(sent).scalars():
        if anonymise_outbound(message):
            report.sms_sent += 1
    if phone_hashes:
        report.sms_received = (
            session.execute(sa.delete(InboundMessage).where(InboundMessage.from_hash.in_(list(phone_hashes)))).rowcount
            or 0
        )
        _forget_sms_choices(session, phone_hashes)
    report.conversation_events = delete_conversations(session, sorted(conversations))
    session.execute(sa.delete(WebDelivery).where(WebDelivery.sender.in_(sorted(conversations))))
    report.voice_calls = (
        session.execute(
            sa.delete(VoiceCall).where(
                sa.or_(
                    VoiceCall.conversation_id.in_(sorted(conversations) or [""]),
                    VoiceCall.caller_hash.in_(sorted(phone_hashes) or [""]),
                )
            )
        ).rowcount
        or 0
    )
    session.execute(
        sa.delete(ConversationMessage).where(ConversationMessage.conversation_id.in_(sorted(conversations)))
    )
    session.execute(sa.delete(ConversationHold).where(ConversationHold.conversation_id.in_(sorted(conversations))))
    report.waitlist_entries = waitlist.forget(session, [r.id for r in residents], sorted(phone_hashes))
    report.review_items = (
        session.execute(
            sa.delete(ReviewItem).where(ReviewItem.conversation_id.in_(sorted(conversations) or [""]))
        ).rowcount
        or 0
    )
    session.flush()
    return report


def _cancel_future_appointments(session: Session, resident: Resident, now: datetime) -> int:
    appointments = (
        session.execute(
            sa.select(Appointment).where(
                Appointment.resident_id == resident.id, Appointment.status == AppointmentStatus.BOOKED
            )
        )
        .scalars()
        .all()
    )
    cancelled = 0
    for appointment in appointments:
        if as_utc(appointment.start) <= now:
            continue
        handoff.cancel(session, appointment, by=CancelledBy.RESIDENT, actor=handoff.RESIDENT, reason="erasure")
        cancelled += 1
    return cancelled


def _forget_sms_choices(session: Session, phone_hashes: set[str]) -> None:
    """The numbered choices last offered by SMS (bot/sms/choices.py) name the number by its hash."""
    if not sa.inspect(session.connection()).has_table("sms_choices"):
        return
    for hashed in phone_hashes:
        session.execute(sa.text("DELETE FROM sms_choices WHERE phone_hash = :h"), {"h": hashed})
