"""Booking for a resident by a partner (prescripteur: a CCAS or France Services agent, a social worker).

`book_for_resident` composes the handoff core in one transaction (the caller commits):
the seat (`book`: `SlotTaken` when the last seat went meanwhile), the ticket with its
triage and the prescriber (user id and structure, in its columns and as a `prescribed`
event), and the same confirmation the assistant sends (`confirm_booking`, the same text
function). The resident is the one of their number (`resident_for_phone`: conversation
`sms:<keyed hash>`), so they then manage the appointment by SMS as if they had booked it:
ANNULER, RDV, reminders. A number that said STOP gets nothing; the ticket records it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from bot.booking.models import Appointment
from bot.booking.slots import Slot
from bot.handoff.history import add_event
from bot.handoff.report import HandoffRequest
from bot.handoff.service import book, confirm_booking, open_ticket
from bot.residents import Resident
from bot.tickets.models import EventKind, Ticket

if TYPE_CHECKING:
    from bot.sms.outbound import SmsConfig


@dataclass(frozen=True)
class Prescriber:
    user_id: int
    structure: str
    actor: str  # how the ticket's history names them


@dataclass(frozen=True)
class Prescription:
    appointment: Appointment
    ticket: Ticket
    text: str  # the confirmation, as sent (or as the prescripteur tells it when no SMS could go)
    sms_sent: bool


def book_for_resident(
    session: Session,
    resident: Resident,
    slot: Slot,
    request: HandoffRequest,
    prescriber: Prescriber,
    *,
    limit: int,
    sms: SmsConfig,
) -> Prescription:
    """Book `slot` for `resident` on a prescripteur's behalf, open the ticket, confirm by SMS (`limit`:
    BOOKING_MAX_FUTURE_APPOINTMENTS, passed in by the desk)."""
    appointment = book(session, resident, slot, limit=limit)
    ticket = open_ticket(session, resident, request, appointment, actor=prescriber.actor)
    ticket.prescriber_user_id = prescriber.user_id
    ticket.prescriber_structure = prescriber.structure
    add_event(
        session,
        ticket,
        prescriber.actor,
        EventKind.PRESCRIBED,
        {"user_id": prescriber.user_id, "structure": prescriber.structure},
    )
    triage = request.triage or {}
    confirmation = confirm_booking(
        session,
        appointment,
        resident,
        None,
        materiel=triage.get("materiel"),
        has_login=triage.get("has_login"),
        has_email=triage.get("has_email"),
        sms=sms,
    )
    if not confirmation.sms_sent:
        add_event(
            session, ticket, prescriber.actor, EventKind.SMS_REFUSED, {"reason": "opt_out", "template": "confirmation"}
        )
    session.flush()
    return Prescription(appointment, ticket, confirmation.text, confirmation.sms_sent)
