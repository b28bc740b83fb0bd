"""What a conseiller does to a ticket from the desk.

The desk's buttons are actions, not statuses: each one calls the handoff core
(bot/handoff/), which writes the appointment and the ticket in step and leaves
the change in the ticket's history. The caller commits.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot import handoff
from bot.booking.models import Appointment
from bot.booking.slots import Slot
from bot.desk.coop import clean_outcome
from bot.enums import StrEnum
from bot.places.models import Permanence, Place
from bot.residents import Resident
from bot.sms.outbound import SmsConfig, send_sms
from bot.texts.booking import confirmation_text
from bot.tickets.models import CancelledBy, Ticket


class DeskAction(StrEnum):
    """The status buttons of the ticket page (the form's `statut` values)."""

    CONFIRM = "confirme"
    SEEN = "vu"
    ABSENT = "absent"
    CANCEL = "annule"


ACTION_LABELS = {
    DeskAction.CONFIRM: "Confirmé",
    DeskAction.SEEN: "Personne vue",
    DeskAction.ABSENT: "Absent",
    DeskAction.CANCEL: "Annulé",
}


class NoPhone(Exception):
    """The resident gave no phone number (web conversation): nothing to text."""


class OptedOut(Exception):
    """The resident's number said STOP: no SMS may be sent."""


def change_status(session: Session, ticket: Ticket, action: str, actor: str) -> Ticket:
    try:
        action = DeskAction(action)
    except ValueError:
        raise ValueError(f"the desk cannot do {action!r}") from None
    if action == DeskAction.CONFIRM:
        return handoff.reopen(session, ticket, actor)
    if action == DeskAction.SEEN:
        return handoff.mark_seen(session, ticket, actor)
    if action == DeskAction.ABSENT:
        return handoff.mark_absent(session, ticket, actor)
    return handoff.cancel_ticket(session, ticket, actor, reason="desk")


def record_outcome(
    session: Session, ticket: Ticket, actor: str, form: dict, thematiques: list[str], materiels: list[str]
) -> Ticket:
    """The conseiller's final activity report, in the Coop fields; the ticket is closed."""
    return handoff.record_outcome(session, ticket, actor, clean_outcome(form, thematiques, materiels))


def resident_phone(session: Session, ticket: Ticket) -> str | None:
    resident = session.get(Resident, ticket.resident_id) if ticket.resident_id else None
    return resident.phone_e164 if resident is not None else None


def text_resident(
    session: Session, ticket: Ticket, actor: str, body: str, template: str | None = None, *, sms: SmsConfig
):
    """Send an SMS to the ticket's resident through the product's one SMS sender."""
    phone = resident_phone(session, ticket)
    if not phone:
        raise NoPhone()
    message = send_sms(
        session,
        sms=sms,
        to_e164=phone,
        body=body,
        purpose="desk",
        ticket_id=ticket.id,
        appointment_id=ticket.appointment_id,
    )
    handoff.record_sms(session, ticket, actor, message, template)
    if message is None:
        raise OptedOut()
    return message


def reschedule(
    session: Session,
    ticket: Ticket,
    actor: str,
    slot: Slot,
    notify: bool = True,
    *,
    limit: int,
    sms: SmsConfig,
) -> Appointment:
    """Move the ticket's appointment to `slot` (both or neither; the ticket follows: bot.handoff.move)."""
    new = handoff.move(
        session, session.get(Appointment, ticket.appointment_id), slot, by=CancelledBy.SERVICE, actor=actor, limit=limit
    )
    if notify:
        materiel = (ticket.activity_report or {}).get("materiel")
        triage = ticket.triage or {}
        body = confirmation_text(
            session.get(Place, new.place_id),
            new.start,
            ticket.thematique,
            materiel if isinstance(materiel, str) else None,
            permanence=session.get(Permanence, new.permanence_id),
            has_login=triage.get("has_login"),
            has_email=triage.get("has_email"),
        )
        try:
            text_resident(session, ticket, actor, body, template="deplacement", sms=sms)
        except (NoPhone, OptedOut):
            pass
    return new
