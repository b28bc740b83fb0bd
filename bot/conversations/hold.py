"""A conseiller holds a resident's conversation: the one writer of holds and of their messages.

While a conversation is held, the channels (bot/sms_channel.py, bot/web/channel.py)
do not give the resident's messages to Rasa: they store them here for the desk
(bot/conversations/routing.py decides). Rasa's tracker is never touched, so when
the hold ends the assistant carries on from the state it had, whichever Rasa
replica gets the next message: the hold lives in the shared database, read before
every call to Rasa.

A hold ends when the conseiller hands back, when its ticket is closed, or after
HUMAN_HOLD_HOURS without a message from either side; the last two are noticed
the next time the conversation is read (a message, the widget's polling, the
desk's inbox), so no job is needed. The resident is told once at each end
(bot/texts/holds.py: holder_text, resumed_text).

Every text is masked (bot/privacy/screening.py) before storage. Takeovers,
messages and hand-backs go to the desk's audit log (bot/staff/audit.py) and to
the ticket's history (bot.handoff.record_conversation_event), without their text.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

from opening_hours import OpeningHours
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import handoff, mail
from bot.booking.timeutil import as_utc, local, wall_to_utc
from bot.conversations.models import ConversationHold, ConversationMessage
from bot.places.models import Permanence, Place
from bot.privacy.screening import screen_inbound
from bot.residents import Resident
from bot.settings import Settings
from bot.sms.outbound import SmsConfig, send_sms
from bot.staff.audit import audit
from bot.staff.models import User
from bot.texts.french import french_datetime
from bot.texts.holds import away_text, holder_text, resumed_text, unnamed_conseiller
from bot.texts.notify import held_message_text
from bot.tickets.models import Ticket

log = logging.getLogger(__name__)

MAX_TEXT = 1000
CLOSED_STATUSES = ("clos",)


class AlreadyHeld(Exception):
    """Another conseiller holds this conversation."""


class NotHeld(Exception):
    """The conversation is not held (any more) by this conseiller."""


class OptedOut(Exception):
    """The resident said STOP: no SMS can be sent."""


def now_utc(now: datetime | None = None) -> datetime:
    return as_utc(now or datetime.now(timezone.utc))


def channel_of(conversation_id: str) -> str:
    return conversation_id.split(":", 1)[0] if ":" in conversation_id else "web"


def holder_name(user) -> str:
    """The name the resident is told: the conseiller's, without the file's remarks."""
    conseiller = getattr(user, "conseiller", None)
    if conseiller is not None and conseiller.name:
        return conseiller.name.split(" (")[0].strip()[:120]
    return unnamed_conseiller()


def resident_of(session: Session, conversation_id: str) -> Resident | None:
    return session.execute(select(Resident).where(Resident.conversation_id == conversation_id)).scalar_one_or_none()


def tickets_of(session: Session, conversation_id: str) -> list[Ticket]:
    resident = resident_of(session, conversation_id)
    if resident is None:
        return []
    return list(
        session.execute(select(Ticket).where(Ticket.resident_id == resident.id).order_by(Ticket.id.desc())).scalars()
    )


def hold_row(session: Session, conversation_id: str) -> ConversationHold | None:
    return session.execute(
        select(ConversationHold).where(ConversationHold.conversation_id == conversation_id)
    ).scalar_one_or_none()


def _ticket(session: Session, hold: ConversationHold) -> Ticket | None:
    return session.get(Ticket, hold.ticket_id) if hold.ticket_id else None


def _history(session: Session, hold: ConversationHold, actor: str, kind: str, detail: dict | None = None) -> None:
    ticket = _ticket(session, hold)
    if ticket is not None:
        handoff.record_conversation_event(session, ticket, actor, kind, detail)


def expiry_reason(session: Session, hold: ConversationHold, now: datetime | None = None, *, hours: int) -> str | None:
    """Why an active hold is over without a hand-back (its ticket closed, `hours` without a message), or None."""
    ticket = _ticket(session, hold)
    if ticket is not None and ticket.status in CLOSED_STATUSES:
        return "ticket_closed"
    limit = timedelta(hours=hours)
    if now_utc(now) - as_utc(hold.last_activity_at) >= limit:
        return "inactivity"
    return None


def active_hold(
    session: Session, conversation_id: str, now: datetime | None = None, *, hours: int, sms: SmsConfig
) -> ConversationHold | None:
    """The conversation's hold if it still runs; one past its time is ended here (the resident told)."""
    hold = hold_row(session, conversation_id)
    if hold is None or not hold.active:
        return None
    reason = expiry_reason(session, hold, now, hours=hours)
    if reason is not None:
        end_hold(session, hold, "assistant", reason, now=now, sms=sms)
        return None
    return hold


def tell_resident(
    session: Session,
    hold: ConversationHold,
    text: str,
    *,
    author: str = "notice",
    author_name: str | None = None,
    kind: str = "text",
    now: datetime | None = None,
    sms: SmsConfig,
) -> ConversationMessage:
    """Store a message to the resident; by SMS it is sent at once, the widget fetches it."""
    message = ConversationMessage(
        conversation_id=hold.conversation_id,
        hold_id=hold.id,
        at=now_utc(now),
        author=author,
        author_name=author_name,
        kind=kind,
        text=text,
    )
    session.add(message)
    session.flush()
    if hold.channel == "sms":
        resident = resident_of(session, hold.conversation_id)
        if resident is None or not resident.phone_e164:
            log.warning("held sms conversation %s has no number to write to", hold.id)
        elif (
            send_sms(session, to_e164=resident.phone_e164, body=text, purpose="hold", ticket_id=hold.ticket_id, sms=sms)
            is None
        ):
            raise OptedOut()
    return message


def take_over(
    session: Session,
    conversation_id: str,
    user,
    *,
    ticket: Ticket | None = None,
    ip: str | None = None,
    now: datetime | None = None,
    hours: int,
    sms: SmsConfig,
) -> ConversationHold:
    """`user` holds the conversation from now on; the resident is told who answers."""
    now = now_utc(now)
    current = active_hold(session, conversation_id, now, hours=hours, sms=sms)
    if current is not None:
        if current.user_id == user.id:
            return current
        raise AlreadyHeld()
    if ticket is None:
        tickets = tickets_of(session, conversation_id)
        ticket = tickets[0] if tickets else None
    place_id = ticket.place_id if ticket is not None else None
    if place_id is None and getattr(user, "conseiller_id", None):
        place_id = session.execute(
            select(Permanence.place_id)
            .where(Permanence.conseiller_id == user.conseiller_id, Permanence.active.is_(True))
            .limit(1)
        ).scalar()
    last_id = session.execute(select(func.max(ConversationMessage.id))).scalar() or 0
    hold = hold_row(session, conversation_id)
    if hold is None:
        hold = ConversationHold(
            conversation_id=conversation_id, channel=channel_of(conversation_id)[:10], holder_name=holder_name(user)
        )
        session.add(hold)
    hold.user_id, hold.holder_name = user.id, holder_name(user)
    hold.ticket_id, hold.place_id = (ticket.id if ticket is not None else None), place_id
    hold.started_at = hold.last_activity_at = now
    hold.ended_at = hold.end_reason = hold.away_notice_at = hold.notified_at = None
    hold.last_read_id = last_id
    session.flush()
    tell_resident(session, hold, holder_text(hold.holder_name), now=now, sms=sms)
    hold.last_read_id = session.execute(select(func.max(ConversationMessage.id))).scalar() or 0
    _history(session, hold, user.display_name, "conversation_taken", {"hold": hold.id})
    audit(session, user, "conversation_take", "conversation", hold.id, {"channel": hold.channel}, ip=ip)
    return hold


def end_hold(
    session: Session,
    hold: ConversationHold,
    actor: str,
    reason: str,
    *,
    user=None,
    ip: str | None = None,
    now: datetime | None = None,
    sms: SmsConfig,
) -> None:
    """The assistant answers again; the resident is told once."""
    now = now_utc(now)
    hold.ended_at, hold.end_reason = now, reason[:20]
    session.flush()
    try:
        tell_resident(session, hold, resumed_text(), now=now, sms=sms)
    except OptedOut:
        pass  # said STOP meanwhile: nothing is sent
    _history(session, hold, actor, "conversation_returned", {"hold": hold.id, "reason": reason})
    audit(session, user, "conversation_return", "conversation", hold.id, {"reason": reason}, ip=ip)


def hand_back(
    session: Session,
    hold: ConversationHold,
    user,
    *,
    ip: str | None = None,
    now: datetime | None = None,
    sms: SmsConfig,
) -> None:
    if not hold.active:
        raise NotHeld()
    end_hold(session, hold, user.display_name, "hand_back", user=user, ip=ip, now=now, sms=sms)


def conseiller_writes(
    session: Session,
    hold: ConversationHold,
    user,
    text: str,
    *,
    ip: str | None = None,
    now: datetime | None = None,
    sms: SmsConfig,
) -> ConversationMessage:
    """A conseiller's message to the resident (SMS, or fetched by the widget), masked first."""
    now = now_utc(now)
    if not hold.active or hold.user_id != user.id:
        raise NotHeld()
    masked = screen_inbound(text.strip()[:MAX_TEXT]).text
    message = tell_resident(session, hold, masked, author="conseiller", author_name=hold.holder_name, now=now, sms=sms)
    hold.last_activity_at, hold.away_notice_at, hold.notified_at = now, None, None
    hold.last_read_id = message.id
    _history(session, hold, user.display_name, "conversation_message", {"hold": hold.id, "message": message.id})
    audit(session, user, "conversation_message", "conversation", hold.id, {"message": message.id}, ip=ip)
    return message


def record(
    session: Session, hold: ConversationHold, author: str, text: str, *, kind: str = "text", now: datetime | None = None
) -> ConversationMessage:
    """Store what the resident (or the assistant, for a keyword) said during the hold, masked."""
    message = ConversationMessage(
        conversation_id=hold.conversation_id,
        hold_id=hold.id,
        at=now_utc(now),
        author=author,
        kind=kind[:20],
        text=screen_inbound(text or "").text,
    )
    session.add(message)
    session.flush()
    return message


def resident_writes(
    session: Session,
    hold: ConversationHold,
    text: str,
    *,
    settings: Settings,
    kind: str = "text",
    now: datetime | None = None,
) -> list[str]:
    """A resident's message for the desk: stored, the holder notified (`settings`: DESK_NOTIFY_*, SMTP_*),
    an away notice when closed. Returns what the resident was told (the away notice, or nothing)."""
    now = now_utc(now)
    sms = SmsConfig.of(settings)
    had_unread = unread_count(session, hold) > 0
    record(session, hold, "resident", text, kind=kind, now=now)
    hold.last_activity_at = now
    told: list[str] = []
    if not had_unread and hold.notified_at is None:
        notify_holder(session, hold, settings)
        hold.notified_at = now
    if hold.away_notice_at is None:
        opening = next_opening(session, hold, now)
        if opening is not None:
            hold.away_notice_at = now
            try:
                tell_resident(session, hold, away_text(opening), now=now, sms=sms)
                told.append(away_text(opening))
            except OptedOut:
                pass
    session.flush()
    return told


def unread_count(session: Session, hold: ConversationHold) -> int:
    return session.execute(
        select(func.count())
        .select_from(ConversationMessage)
        .where(
            ConversationMessage.hold_id == hold.id,
            ConversationMessage.author == "resident",
            ConversationMessage.id > hold.last_read_id,
        )
    ).scalar_one()


def mark_read(session: Session, hold: ConversationHold) -> None:
    last = session.execute(
        select(func.max(ConversationMessage.id)).where(ConversationMessage.hold_id == hold.id)
    ).scalar()
    if last and last > hold.last_read_id:
        hold.last_read_id = last
        hold.notified_at = None


def messages_of(
    session: Session,
    conversation_id: str,
    *,
    after: int = 0,
    hold_id: int | None = None,
    authors: tuple[str, ...] | None = None,
    limit: int = 200,
) -> list[ConversationMessage]:
    query = select(ConversationMessage).where(
        ConversationMessage.conversation_id == conversation_id, ConversationMessage.id > after
    )
    if hold_id is not None:
        query = query.where(ConversationMessage.hold_id == hold_id)
    if authors:
        query = query.where(ConversationMessage.author.in_(authors))
    return list(session.execute(query.order_by(ConversationMessage.id).limit(limit)).scalars())


# --- the place's hours: is someone there to answer? ---------------------------------


def _permanences(session: Session, hold: ConversationHold) -> list[Permanence]:
    query = select(Permanence).join(Place).where(Permanence.active.is_(True), Place.active.is_(True))
    if hold.place_id:
        return list(session.execute(query.where(Permanence.place_id == hold.place_id)).scalars())
    user = session.get(User, hold.user_id) if hold.user_id else None
    if user is not None and user.conseiller_id:
        return list(session.execute(query.where(Permanence.conseiller_id == user.conseiller_id)).scalars())
    return []


def next_opening(session: Session, hold: ConversationHold, now: datetime | None = None) -> str | None:
    """'mardi 3 décembre à 14 h' when every permanence of the hold's place is closed now; None when one
    is open (someone is there) or when no schedule says."""
    now = now_utc(now)
    soonest: datetime | None = None
    tz_of_soonest = "Europe/Paris"
    for permanence in _permanences(session, hold):
        tz = permanence.place.timezone or "Europe/Paris"
        wall = local(now, tz).replace(tzinfo=None, microsecond=0)
        try:
            schedule = OpeningHours(permanence.schedule)
            if schedule.is_open(wall):
                return None
            change = schedule.next_change(wall)
        except Exception:  # a schedule the parser refuses says nothing
            continue
        if change is None:
            continue
        moment = wall_to_utc(change, tz)
        if soonest is None or moment < soonest:
            soonest, tz_of_soonest = moment, tz
    return french_datetime(soonest, tz_of_soonest) if soonest is not None else None


# --- notifying the holder (bot/mail.py, or an SMS; no resident data) ------------


def notify_holder(session: Session, hold: ConversationHold, settings: Settings) -> str:
    sms = SmsConfig.of(settings)
    user = session.get(User, hold.user_id) if hold.user_id else None
    if user is None or settings.desk_notify_channel == "none":
        return "skipped"
    link = f"{settings.desk_public_url.rstrip('/')}/conversations/{hold.id}"
    text = held_message_text(hold.id)
    conseiller = user.conseiller
    try:
        if settings.desk_notify_channel == "email":
            address = (conseiller.email if conseiller is not None and conseiller.email else None) or user.email
            if not settings.smtp_host:
                return "skipped"
            mail.send_email(
                settings,
                [address],
                f"Nouveau message (conversation n° {hold.id})",
                f"Bonjour,\n\n{text}\n\nRépondre : {link}\n",
            )
            return "sent"
        if conseiller is not None and conseiller.phone_e164:
            send_sms(session, to_e164=conseiller.phone_e164, body=text, purpose="notify", sms=sms)
            return "sent"
    except Exception as error:  # the resident's message is stored; the desk shows it anyway
        log.warning("hold notification for conversation %s failed: %s", hold.id, type(error).__name__)
        return "failed"
    return "skipped"
