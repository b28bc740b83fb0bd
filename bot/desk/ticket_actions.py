"""What a conseiller does to a ticket from the desk.

Each function changes the ticket through bot.tickets.service (so the change
is in the ticket's history), and the appointment through bot.booking.service
(so a cancelled slot is free at once). The caller commits.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy.orm import Session

from bot.booking.messages import confirmation_text
from bot.booking.models import Appointment
from bot.booking.service import cancel, move
from bot.booking.slots import Slot
from bot.desk.coop import clean_outcome
from bot.places.models import Place
from bot.residents import Resident
from bot.sms.outbound import send_sms
from bot.tickets.models import Ticket
from bot.tickets.service import add_event, set_status

# Status changes a conseiller may make, with the appointment status that goes with them.
STATUS_ACTIONS = {
    "confirme": None,
    "vu": "done",
    "absent": "no_show",
    "annule": "cancelled",
}


class NoPhone(Exception):
    """The resident gave no phone number (web conversation): nothing to text."""


class OptedOut(Exception):
    """The resident's number said STOP: no SMS may be sent."""


def change_status(session: Session, ticket: Ticket, status: str, actor: str) -> Ticket:
    if status not in STATUS_ACTIONS:
        raise ValueError(f"the desk cannot set status {status!r}")
    appointment = session.get(Appointment, ticket.appointment_id) if ticket.appointment_id else None
    if appointment is not None:
        if status == "annule" and appointment.status != "cancelled":
            cancel(session, appointment, actor=actor)
        elif STATUS_ACTIONS[status] and status != "annule" and appointment.status != "cancelled":
            appointment.status = STATUS_ACTIONS[status]
        elif status == "confirme" and appointment.status in ("done", "no_show"):
            appointment.status = "booked"
    return set_status(session, ticket, status, actor)


def record_outcome(session: Session, ticket: Ticket, actor: str, form: dict,
                   thematiques: list[str], materiels: list[str]) -> Ticket:
    """The conseiller's final activity report, in the Coop fields; the ticket is closed."""
    outcome = clean_outcome(form, thematiques, materiels)
    report = dict(ticket.activity_report or {})
    report.update(outcome)
    report["enregistre"] = True
    report["enregistre_le"] = datetime.now(timezone.utc).isoformat()
    report["enregistre_par"] = actor
    ticket.activity_report = report  # a new dict, so the JSON column is saved
    add_event(session, ticket, actor, "outcome", outcome)
    if ticket.status != "clos":
        appointment = session.get(Appointment, ticket.appointment_id) if ticket.appointment_id else None
        if appointment is not None and appointment.status == "booked":
            appointment.status = "done"
        set_status(session, ticket, "clos", actor)
    return ticket


def resident_phone(session: Session, ticket: Ticket) -> str | None:
    resident = session.get(Resident, ticket.resident_id) if ticket.resident_id else None
    return resident.phone_e164 if resident is not None else None


def text_resident(session: Session, ticket: Ticket, actor: str, body: str, template: str | None = None):
    """Send an SMS to the ticket's resident through the product's one SMS sender."""
    phone = resident_phone(session, ticket)
    if not phone:
        raise NoPhone()
    message = send_sms(session, to_e164=phone, body=body, purpose="desk", ticket_id=ticket.id,
                       appointment_id=ticket.appointment_id)
    if message is None:
        add_event(session, ticket, actor, "sms_refused", {"reason": "opt_out", "template": template})
        raise OptedOut()
    add_event(session, ticket, actor, "sms", {"message_id": message.id, "template": template,
                                               "status": message.status})
    return message


def reschedule(session: Session, ticket: Ticket, actor: str, slot: Slot, notify: bool = True) -> Appointment:
    """Move the ticket's appointment to `slot` (both or neither: bot.booking.service.move)."""
    old = session.get(Appointment, ticket.appointment_id)
    new = move(session, old, slot)
    ticket.appointment_id = new.id
    ticket.place_id = new.place_id
    add_event(session, ticket, actor, "moved", {"from": old.id, "to": new.id, "start": new.start.isoformat()})
    if ticket.status in ("nouveau", "absent", "annule"):
        set_status(session, ticket, "confirme", actor)
    if notify:
        place = session.get(Place, new.place_id)
        materiel = (ticket.activity_report or {}).get("materiel")
        triage = ticket.triage or {}
        body = confirmation_text(place, new.start, ticket.thematique, materiel if isinstance(materiel, str) else None,
                                 has_login=triage.get("has_login"), has_email=triage.get("has_email"))
        try:
            text_resident(session, ticket, actor, body, template="deplacement")
        except (NoPhone, OptedOut):
            pass
    return new
