"""Telling the place's conseiller that a new ticket has arrived.

`python -m bot notify` (run in a loop by `make run`) looks for recent tickets
that have no notification yet. Each ticket is claimed by inserting its row in
`ticket_notifications` (unique per ticket) and committing before anything is
sent, so two runs never notify the same ticket twice. The channel is
DESK_NOTIFY_CHANNEL: an e-mail over SMTP, an SMS, or none.

The message holds no resident data (no name, phone number or message text):
only the place, the time, the topic and a link to the desk.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.booking.models import Appointment
from bot.desk.coop import thematique_label
from bot.mail import send_email
from bot.places.models import Conseiller, Permanence, Place
from bot.settings import Settings
from bot.sms.outbound import SmsConfig, send_sms
from bot.staff.models import TicketNotification, User
from bot.texts.french import french_datetime
from bot.texts.notify import new_ticket_text
from bot.tickets.models import Ticket

log = logging.getLogger(__name__)
CHANNELS = ("email", "sms", "none")


@dataclass
class Recipient:
    name: str
    email: str | None
    phone_e164: str | None


def recipients_for(session: Session, ticket: Ticket) -> list[Recipient]:
    """The appointment's conseiller; else the conseillers holding permanences at the
    ticket's place; else (no place) the coordinateurs."""
    conseillers: list[Conseiller] = []
    if ticket.appointment_id:
        appointment = session.get(Appointment, ticket.appointment_id)
        conseillers = [session.get(Permanence, appointment.permanence_id).conseiller]
    elif ticket.place_id:
        conseillers = list(
            session.execute(
                select(Conseiller)
                .join(Permanence, Permanence.conseiller_id == Conseiller.id)
                .where(Permanence.place_id == ticket.place_id, Permanence.active.is_(True))
                .distinct()
            ).scalars()
        )
    if conseillers:
        found = []
        for conseiller in conseillers:
            email = (
                conseiller.email
                or session.execute(select(User.email).where(User.conseiller_id == conseiller.id, User.active.is_(True)))
                .scalars()
                .first()
            )
            found.append(Recipient(conseiller.name, email, conseiller.phone_e164))
        return found
    return [
        Recipient(u.email, u.email, None)
        for u in session.execute(select(User).where(User.role == "coordinateur", User.active.is_(True))).scalars()
    ]


def summary(session: Session, ticket: Ticket) -> str:
    place = session.get(Place, ticket.place_id) if ticket.place_id else None
    appointment = session.get(Appointment, ticket.appointment_id) if ticket.appointment_id else None
    when = french_datetime(appointment.start, place.timezone) if appointment and place else None
    return new_ticket_text(ticket.id, place.nom if place else None, when, thematique_label(ticket.thematique))


def ticket_link(settings: Settings, ticket_id: int) -> str:
    return f"{settings.desk_public_url.rstrip('/')}/tickets/{ticket_id}"


def claim(factory: sessionmaker, ticket_id: int, channel: str) -> bool:
    session = factory()
    try:
        session.add(TicketNotification(ticket_id=ticket_id, channel=channel, status="sending"))
        session.commit()
        return True
    except IntegrityError:
        session.rollback()
        return False
    finally:
        session.close()


def deliver(session: Session, settings: Settings, ticket: Ticket) -> tuple[str, str]:
    """Send one ticket's notification; (status, detail)."""
    channel = settings.desk_notify_channel
    if channel == "none":
        return "skipped", "notifications switched off"
    people = recipients_for(session, ticket)
    text = summary(session, ticket)
    if channel == "email":
        addresses = sorted({p.email for p in people if p.email})
        if not settings.smtp_host:
            return "skipped", "SMTP_HOST is empty"
        if not addresses:
            return "skipped", "no e-mail address for this place"
        body = f"Bonjour,\n\n{text}\n\nVoir le ticket : {ticket_link(settings, ticket.id)}\n"
        try:
            send_email(settings, addresses, f"Nouveau ticket n° {ticket.id}", body)
        except (OSError, smtplib.SMTPException) as error:
            log.warning("new-ticket e-mail for ticket %s failed: %s", ticket.id, type(error).__name__)
            return "failed", type(error).__name__
        return "sent", f"{len(addresses)} address(es)"
    phones = sorted({p.phone_e164 for p in people if p.phone_e164})
    if not phones:
        return "skipped", "no phone number for this place"
    sent = [
        send_sms(session, sms=SmsConfig.of(settings), to_e164=phone, body=text, purpose="notify", ticket_id=ticket.id)
        for phone in phones
    ]
    ok = [m for m in sent if m is not None and m.status != "failed"]
    return ("sent" if ok else "failed"), f"{len(ok)} SMS"


def notify_new_tickets(factory: sessionmaker, settings: Settings, now: datetime | None = None) -> int:
    """Notify every recent ticket not notified yet (DESK_NOTIFY_*, SMTP_*: `settings`, read by the notify
    job); returns how many were sent."""
    if settings.desk_notify_channel not in CHANNELS:
        raise ValueError(f"DESK_NOTIFY_CHANNEL must be one of {', '.join(CHANNELS)}")
    now = now or datetime.now(timezone.utc)
    since = now - timedelta(hours=settings.desk_notify_max_age_hours)
    with factory() as session:
        pending = list(
            session.execute(
                select(Ticket.id)
                .outerjoin(TicketNotification, TicketNotification.ticket_id == Ticket.id)
                .where(TicketNotification.id.is_(None), Ticket.created_at >= since)
                .order_by(Ticket.id)
            ).scalars()
        )
    sent = 0
    for ticket_id in pending:
        if not claim(factory, ticket_id, settings.desk_notify_channel):
            continue
        with factory() as session:
            ticket = session.get(Ticket, ticket_id)
            status, detail = deliver(session, settings, ticket)
            row = session.execute(
                select(TicketNotification).where(TicketNotification.ticket_id == ticket_id)
            ).scalar_one()
            row.status, row.detail, row.at = status, detail[:500], datetime.now(timezone.utc)
            session.commit()
        sent += status == "sent"
    return sent
