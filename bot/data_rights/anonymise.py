"""What stays of a ticket, a resident or an SMS record once its personal part is gone.

Anonymous statistics stay (thematique, status, dates, place, the Coop
activity report without names or free text); what names or describes the
person goes: transcript, the triage's free text (besoin, quartier, accessibility
needs), first name and phone number, SMS bodies and numbers, notes.
Used by the erasure of one person (bot/data_rights/erasure.py) and by the
retention purge (bot/data_rights/retention.py); both are idempotent.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.handoff import strip_personal_fields
from bot.residents import Resident
from bot.sms.models import OutboundMessage
from bot.tickets.models import Ticket

ERASED_TEXT = "[effacé]"
ERASED_HASH = "effacé"
ERASED_CONVERSATION_PREFIX = "erased:"

# Triage answers kept for statistics: closed choices, never free text.
ANONYMOUS_TRIAGE_KEYS = ("thematique", "materiel", "has_email", "has_login", "preferred_time")
# The Coop activity-report (CRA) fields (bot/coop.py): no names, no free text.
ANONYMOUS_REPORT_KEYS = (
    "date",
    "type",
    "type_lieu",
    "lieu",
    "code_postal",
    "commune",
    "duree",
    "duree_minutes",
    "titre_atelier",
    "thematiques",
    "materiel",
    "autonomie",
    "orientation",
    "oriente",
    "structure_redirection",
    "conseiller",
    "enregistre",
    "enregistre_le",
)
# Ticket history: these event details are closed values; the others (notes...) are dropped.
ANONYMOUS_EVENT_KEYS = ("status", "route", "from", "to", "by", "moved_to", "reason")


def anonymise_ticket(session: Session, ticket: Ticket) -> bool:
    """Remove the personal fields of a ticket (written by the handoff core); True if anything changed."""
    changed = strip_personal_fields(
        session,
        ticket,
        triage_keys=ANONYMOUS_TRIAGE_KEYS,
        report_keys=ANONYMOUS_REPORT_KEYS,
        event_keys=ANONYMOUS_EVENT_KEYS,
    )
    if _clear_notification_detail(session, ticket.id):
        changed = True
    return changed


def _clear_notification_detail(session: Session, ticket_id: int) -> bool:
    """The desk's new-ticket notification record may quote the ticket."""
    if "has_ticket_notifications" not in session.info:
        session.info["has_ticket_notifications"] = sa.inspect(session.connection()).has_table("ticket_notifications")
    if not session.info["has_ticket_notifications"]:
        return False
    result = session.execute(
        sa.text("UPDATE ticket_notifications SET detail = NULL WHERE ticket_id = :t AND detail IS NOT NULL"),
        {"t": ticket_id},
    )
    return bool(result.rowcount)


def anonymise_resident(resident: Resident) -> bool:
    """Forget who the resident is; the row stays for the tickets' statistics.

    The conversation id changes too, so that a new message from the same
    number or browser starts a new, unlinked resident.
    """
    if resident.conversation_id.startswith(ERASED_CONVERSATION_PREFIX):
        return False
    resident.phone_e164 = None
    resident.phone_hash = None
    resident.first_name = None
    resident.conversation_id = ERASED_CONVERSATION_PREFIX + uuid.uuid4().hex
    return True


def anonymise_outbound(message: OutboundMessage) -> bool:
    if message.to_e164 is None and message.body == ERASED_TEXT and message.to_hash == ERASED_HASH:
        return False
    message.to_e164 = None
    message.body = ERASED_TEXT
    message.to_hash = ERASED_HASH
    return True
