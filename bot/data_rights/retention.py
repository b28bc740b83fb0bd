"""Retention: what is past its time is deleted or anonymised.

Periods come from settings (RETENTION_*_DAYS):

- conversations: Rasa's stored events of a conversation whose last event is
  older than RETENTION_CONVERSATION_DAYS are deleted;
- tickets: older than RETENTION_TICKET_DAYS, they lose their personal fields
  (anonymous statistics stay: thematique, status, dates, place, activity report);
  residents not seen for as long, with no appointment to come, lose phone and name;
- SMS: outbound records older than RETENTION_SMS_DAYS lose body and number,
  inbound dedupe rows are deleted;
- the desk's logs: login attempts (e-mail, IP address) and audit entries (who
  saw or changed what) older than RETENTION_DESK_LOG_DAYS are deleted;
- the widget's stored answers (kept for its retries, bot/web/deliveries.py)
  are deleted after a day;
- held conversations (bot/conversations/): messages older than
  RETENTION_CONVERSATION_DAYS are deleted, and ended holds idle for as long;
- the waitlist (bot/waitlist/): entries that left the list (served, removed, expired)
  more than RETENTION_CONVERSATION_DAYS ago are deleted with their offers.
- the review inbox's messages (bot/review/), labelled or not, older than
  RETENTION_CONVERSATION_DAYS are deleted (its weekly counters hold no conversation id,
  nothing of a person, and stay).
- the webhooks' outbox (bot/webhooks/: ids, times, place, no personal field) and its
  delivery log are deleted after 30 days.

`python -m bot purge` runs it; running it twice changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.booking.models import Appointment, AppointmentStatus
from bot.booking.timeutil import as_utc
from bot.conversations.models import ConversationHold, ConversationMessage
from bot.data_rights.anonymise import (
    ERASED_CONVERSATION_PREFIX,
    ERASED_HASH,
    ERASED_TEXT,
    anonymise_outbound,
    anonymise_resident,
    anonymise_ticket,
)
from bot.privacy.conversations import conversations_idle_since, delete_conversations
from bot.residents import Resident
from bot.review.models import ReviewItem
from bot.settings import Settings
from bot.sms.models import InboundMessage, OutboundMessage
from bot.staff.models import AuditEntry, LoginAttempt, LoginLock
from bot.tickets.models import Ticket
from bot.voice.calls import purge_calls
from bot.waitlist import service as waitlist
from bot.web import deliveries
from bot.webhooks.delivery import purge_old as purge_webhook_events

# The numbered choices last offered to a number by SMS (bot/sms/choices.py): a hash and payloads.
SMS_CHOICES = sa.table("sms_choices", sa.column("updated_at", sa.DateTime(timezone=True)))


@dataclass(frozen=True)
class RetentionPolicy:
    """How long each kind of record is kept, in days (RETENTION_*_DAYS; the purge job passes them)."""

    conversation_days: int
    ticket_days: int
    sms_days: int
    desk_log_days: int

    @classmethod
    def of(cls, settings: Settings) -> RetentionPolicy:
        return cls(
            settings.retention_conversation_days,
            settings.retention_ticket_days,
            settings.retention_sms_days,
            settings.retention_desk_log_days,
        )


@dataclass
class PurgeReport:
    conversations: int = 0
    conversation_events: int = 0
    tickets_anonymised: int = 0
    residents_anonymised: int = 0
    sms_sent_anonymised: int = 0
    sms_received_deleted: int = 0
    desk_login_attempts_deleted: int = 0
    desk_audit_entries_deleted: int = 0
    web_answers_deleted: int = 0
    voice_calls_deleted: int = 0
    held_messages_deleted: int = 0
    holds_deleted: int = 0
    waitlist_entries_deleted: int = 0
    review_items_deleted: int = 0
    webhook_events_deleted: int = 0

    def as_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        return ", ".join(f"{key}={value}" for key, value in self.as_dict().items())


def purge(session: Session, now: datetime | None = None, *, policy: RetentionPolicy) -> PurgeReport:
    now = as_utc(now or datetime.now(timezone.utc))
    report = PurgeReport()

    conversation_cutoff = now - timedelta(days=policy.conversation_days)
    idle = conversations_idle_since(session, conversation_cutoff)
    report.conversations = len(idle)
    report.conversation_events = delete_conversations(session, idle)
    report.voice_calls_deleted = purge_calls(session, conversation_cutoff)  # per-call state, bot/voice
    report.held_messages_deleted = (
        session.execute(sa.delete(ConversationMessage).where(ConversationMessage.at < conversation_cutoff)).rowcount
        or 0
    )
    report.holds_deleted = (
        session.execute(
            sa.delete(ConversationHold)
            .where(
                ConversationHold.ended_at.is_not(None),
                ConversationHold.last_activity_at < conversation_cutoff,
                ConversationHold.ended_at < conversation_cutoff,
                ConversationHold.id.not_in(sa.select(ConversationMessage.hold_id)),
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        or 0
    )
    report.waitlist_entries_deleted = waitlist.purge_ended(session, conversation_cutoff)
    report.review_items_deleted = (
        session.execute(sa.delete(ReviewItem).where(ReviewItem.created_at < conversation_cutoff)).rowcount or 0
    )

    ticket_cutoff = now - timedelta(days=policy.ticket_days)
    for ticket in session.execute(sa.select(Ticket).where(Ticket.created_at < ticket_cutoff)).scalars():
        if anonymise_ticket(session, ticket):
            report.tickets_anonymised += 1
    for resident in _residents_to_forget(session, ticket_cutoff, now):
        if anonymise_resident(resident):
            report.residents_anonymised += 1

    sms_cutoff = now - timedelta(days=policy.sms_days)
    old_sent = sa.select(OutboundMessage).where(
        OutboundMessage.created_at < sms_cutoff,
        sa.or_(
            OutboundMessage.to_e164.is_not(None),
            OutboundMessage.body != ERASED_TEXT,
            OutboundMessage.to_hash != ERASED_HASH,
        ),
    )
    for message in session.execute(old_sent).scalars():
        if anonymise_outbound(message):
            report.sms_sent_anonymised += 1
    report.sms_received_deleted = (
        session.execute(sa.delete(InboundMessage).where(InboundMessage.received_at < sms_cutoff)).rowcount or 0
    )
    if sa.inspect(session.connection()).has_table("sms_choices"):  # bot/sms/choices.py
        session.execute(sa.delete(SMS_CHOICES).where(SMS_CHOICES.c.updated_at < sms_cutoff))

    desk_log_cutoff = now - timedelta(days=policy.desk_log_days)
    report.desk_login_attempts_deleted = (
        session.execute(sa.delete(LoginAttempt).where(LoginAttempt.at < desk_log_cutoff)).rowcount or 0
    )
    session.execute(sa.delete(LoginLock).where(LoginLock.at < desk_log_cutoff))  # keyed hashes of the same
    report.desk_audit_entries_deleted = (
        session.execute(sa.delete(AuditEntry).where(AuditEntry.at < desk_log_cutoff)).rowcount or 0
    )
    report.web_answers_deleted = (
        session.execute(
            sa.delete(deliveries.WebDelivery).where(deliveries.WebDelivery.received_at < now - deliveries.KEEP)
        ).rowcount
        or 0
    )
    report.webhook_events_deleted = purge_webhook_events(session, now)
    session.flush()
    return report


def _residents_to_forget(session: Session, cutoff: datetime, now: datetime) -> list[Resident]:
    """Residents not seen since `cutoff` and with no appointment to come."""
    upcoming = sa.select(Appointment.resident_id).where(
        Appointment.status == AppointmentStatus.BOOKED, Appointment.end > now
    )
    return list(
        session.execute(
            sa.select(Resident).where(
                Resident.last_seen_at < cutoff,
                ~Resident.conversation_id.startswith(ERASED_CONVERSATION_PREFIX),
                Resident.id.not_in(upcoming),
            )
        ).scalars()
    )
