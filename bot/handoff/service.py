"""The handoff lifecycle: the one writer of appointments, their seats, tickets and ticket history.

The actions (actions/booking.py), the desk (bot/desk/ticket_actions.py,
bot/desk/permanence_admin.py), erasure and retention (bot/privacy/), the
reminders and the SMS status callback call these functions; nothing else
writes those tables (tests/handoff/test_single_writer.py fails if it does).

- `open_ticket`: the request a resident leaves for a conseiller (with or without an appointment);
- `book`, `move`, `cancel(by=resident|service, reason)`: the appointment, its seat and its ticket in step;
  a move takes the ticket to the new place (the desk shows tickets by place) and records `moved`;
- `mark_seen`, `mark_absent`, `reopen`: the appointment's outcome (RDV Service Public's statuses);
- `record_outcome`: the conseiller's Coop activity report, which closes the ticket.

Each change also writes its webhook event (bot/handoff/events.py) in the same transaction.
The caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.booking.models import Appointment, AppointmentStatus
from bot.booking.slots import Slot
from bot.handoff.events import emit, emit_attendance
from bot.handoff.history import add_event, set_status, ticket_for_appointment
from bot.handoff.report import HandoffRequest, draft_report, report_for_appointment
from bot.handoff.seats import AlreadyBooked, SlotTaken, TooManyAppointments, free_seat, take_seat, upcoming_for_resident
from bot.places.models import Permanence, Place
from bot.residents import Resident
from bot.texts.booking import confirmation_text
from bot.tickets.models import CancelledBy, EventKind, Ticket, TicketEvent, TicketStatus
from bot.webhooks.models import EventType

if TYPE_CHECKING:
    from bot.sms.outbound import SmsConfig

ASSISTANT = "assistant"
RESIDENT = "resident"

__all__ = [
    "ASSISTANT",
    "RESIDENT",
    "AlreadyBooked",
    "Confirmation",
    "HandoffRequest",
    "SlotTaken",
    "TooManyAppointments",
    "book",
    "cancel",
    "cancel_ticket",
    "claim_reminder",
    "release_reminder",
    "confirm_booking",
    "flag_sms_failure",
    "mark_absent",
    "mark_seen",
    "move",
    "open_ticket",
    "record_conversation_event",
    "record_outcome",
    "record_sms",
    "reopen",
    "strip_personal_fields",
    "ticket_for_appointment",
    "upcoming_for_resident",
]


def open_ticket(
    session: Session,
    resident: Resident,
    request: HandoffRequest,
    appointment: Appointment | None = None,
    actor: str = ASSISTANT,
    place: Place | None = None,
) -> Ticket:
    """The ticket a conseiller receives: triage, draft Coop report, what the assistant answered.
    Without an appointment, `place` (a phone call-back's place) decides who sees the ticket."""
    if request.first_name:
        resident.first_name = request.first_name
    permanence = session.get(Permanence, appointment.permanence_id) if appointment else None
    ticket_place = place
    place = session.get(Place, appointment.place_id) if appointment else None
    ticket = Ticket(
        resident_id=resident.id,
        appointment_id=appointment.id if appointment else None,
        place_id=place.id if place else (ticket_place.id if ticket_place else None),
        status=TicketStatus.NOUVEAU,
        thematique=request.thematique,
        route=request.route,
        triage=request.triage,
        activity_report=draft_report(request.triage, request.thematique, permanence, place, request.orientation),
        bot_answers=list(request.bot_answers),
        transcript_excerpt=request.transcript,
    )
    session.add(ticket)
    session.flush()
    add_event(session, ticket, actor, EventKind.CREATED, {"status": TicketStatus.NOUVEAU, "route": request.route})
    emit(session, EventType.TICKET_CREATED, ticket=ticket, appointment=appointment)
    return ticket


def book(
    session: Session,
    resident: Resident,
    slot: Slot,
    now: datetime | None = None,
    *,
    limit: int,
) -> Appointment:
    """Take a seat of `slot` for `resident` (`SlotTaken`, `AlreadyBooked`, `TooManyAppointments` past
    `limit` appointments to come: BOOKING_MAX_FUTURE_APPOINTMENTS, passed in by the entry points)."""
    appointment = take_seat(session, resident, slot, limit=limit, now=now)
    emit(session, EventType.APPOINTMENT_BOOKED, appointment=appointment)
    return appointment


def _end(session: Session, appointment: Appointment, status: AppointmentStatus) -> None:
    free_seat(session, appointment)
    appointment.status = status
    appointment.cancelled_at = datetime.now(timezone.utc)


def _cancelled_status(by: CancelledBy) -> AppointmentStatus:
    return AppointmentStatus.EXCUSED if CancelledBy(by) == CancelledBy.RESIDENT else AppointmentStatus.REVOKED


def move(
    session: Session,
    appointment: Appointment,
    slot: Slot,
    *,
    by: CancelledBy,
    actor: str,
    limit: int,
) -> Appointment:
    """The old appointment ends and the new slot is booked, both or neither; the ticket follows.

    If the new slot is taken meanwhile, the SAVEPOINT rolls the old one back: the
    resident keeps it and gets `SlotTaken`. The ticket goes to the new place (so the
    new place's conseiller sees it), its draft report says the new lieu, and its
    history says `moved`. Moved by the resident, it is new again for the desk;
    moved by a conseiller, it is in hand.
    """
    resident = session.get(Resident, appointment.resident_id)
    with session.begin_nested():
        _end(session, appointment, _cancelled_status(by))
        new = take_seat(session, resident, slot, limit=limit)
    ticket = ticket_for_appointment(session, appointment.id)
    if ticket is not None:
        ticket.appointment_id = new.id
        ticket.place_id = new.place_id
        ticket.activity_report = {**(ticket.activity_report or {}), **report_for_appointment(session, new)}
        add_event(
            session,
            ticket,
            actor,
            EventKind.MOVED,
            {
                "from": appointment.id,
                "to": new.id,
                "by": CancelledBy(by),
                "start": new.start.isoformat(),
                "place_id": new.place_id,
            },
        )
        workflow = TicketStatus.NOUVEAU if CancelledBy(by) == CancelledBy.RESIDENT else TicketStatus.CONFIRME
        set_status(session, ticket, workflow, actor)
    emit(session, EventType.APPOINTMENT_MOVED, appointment=new, previous=appointment, ticket=ticket, cancelled_by=by)
    session.flush()
    return new


def cancel(
    session: Session, appointment: Appointment, *, by: CancelledBy, actor: str, reason: str | None = None
) -> Ticket | None:
    """Cancel the appointment (the seat is free at once) and close its ticket; nothing if already cancelled."""
    ticket = ticket_for_appointment(session, appointment.id)
    if appointment.status in AppointmentStatus.cancelled():
        return ticket
    _end(session, appointment, _cancelled_status(by))
    emit(session, EventType.APPOINTMENT_CANCELLED, appointment=appointment, ticket=ticket, cancelled_by=by)
    if ticket is not None:
        add_event(
            session,
            ticket,
            actor,
            EventKind.CANCELLED,
            {"by": CancelledBy(by), "reason": reason, "to": appointment.status},
        )
        set_status(session, ticket, TicketStatus.CLOS, actor)
    session.flush()
    return ticket


def _appointment_of(session: Session, ticket: Ticket) -> Appointment | None:
    return session.get(Appointment, ticket.appointment_id) if ticket.appointment_id else None


def _attendance(
    session: Session, ticket: Ticket, appointment: Appointment, status: AppointmentStatus, actor: str
) -> None:
    previous = appointment.status
    if previous == status or previous in AppointmentStatus.cancelled():
        return
    appointment.status = status
    add_event(session, ticket, actor, EventKind.ATTENDANCE, {"from": previous, "to": status})
    emit_attendance(session, appointment, ticket)


def reopen(session: Session, ticket: Ticket, actor: str) -> Ticket:
    """A conseiller takes the ticket in hand (or undoes a seen / absent recorded by mistake)."""
    appointment = _appointment_of(session, ticket)
    if appointment is not None and appointment.status in AppointmentStatus.held():
        _attendance(session, ticket, appointment, AppointmentStatus.BOOKED, actor)
    set_status(session, ticket, TicketStatus.CONFIRME, actor)
    return ticket


def mark_seen(session: Session, ticket: Ticket, actor: str) -> Ticket:
    """The person came: the ticket stays open for the activity report."""
    appointment = _appointment_of(session, ticket)
    if appointment is not None:
        _attendance(session, ticket, appointment, AppointmentStatus.SEEN, actor)
    set_status(session, ticket, TicketStatus.CONFIRME, actor)
    return ticket


def mark_absent(session: Session, ticket: Ticket, actor: str) -> Ticket:
    """The person did not come: the appointment is a no-show and the ticket is closed."""
    appointment = _appointment_of(session, ticket)
    if appointment is not None:
        _attendance(session, ticket, appointment, AppointmentStatus.NOSHOW, actor)
    set_status(session, ticket, TicketStatus.CLOS, actor)
    return ticket


def cancel_ticket(session: Session, ticket: Ticket, actor: str, reason: str = "desk") -> Ticket:
    """The desk cancels: the appointment, if any, is revoked (its seat freed); the ticket is closed."""
    appointment = _appointment_of(session, ticket)
    if appointment is not None and appointment.status not in AppointmentStatus.cancelled():
        cancel(session, appointment, by=CancelledBy.SERVICE, actor=actor, reason=reason)
    set_status(session, ticket, TicketStatus.CLOS, actor, {"reason": reason})
    return ticket


def record_outcome(session: Session, ticket: Ticket, actor: str, outcome: dict) -> Ticket:
    """The conseiller's activity report (checked Coop fields); the person was seen; the ticket is closed."""
    report = dict(ticket.activity_report or {})
    report.update(outcome)
    report["enregistre"] = True
    report["enregistre_le"] = datetime.now(timezone.utc).isoformat()
    report["enregistre_par"] = actor
    ticket.activity_report = report  # a new dict, so the JSON column is saved
    add_event(session, ticket, actor, EventKind.OUTCOME, outcome)
    appointment = _appointment_of(session, ticket)
    if appointment is not None and appointment.status == AppointmentStatus.BOOKED:
        _attendance(session, ticket, appointment, AppointmentStatus.SEEN, actor)
    set_status(session, ticket, TicketStatus.CLOS, actor)
    return ticket


@dataclass(frozen=True)
class Confirmation:
    ticket: Ticket | None
    text: str
    sms_sent: bool
    show_in_conversation: bool  # the web widget shows it; an SMS conversation has the SMS


def confirm_booking(
    session: Session,
    appointment: Appointment,
    resident: Resident,
    request: HandoffRequest | None,
    materiel: str | None = None,
    *,
    has_login: str | None = None,
    has_email: str | None = None,
    sms: SmsConfig,
) -> Confirmation:
    """After a booking: the ticket (opened unless the appointment already has one, as after a move)
    and the confirmation, by SMS (as `sms` says) when there is a number, in the conversation otherwise."""
    from bot.sms.outbound import send_sms

    ticket = ticket_for_appointment(session, appointment.id)
    if ticket is None and request is not None:
        ticket = open_ticket(session, resident, request, appointment)
    thematique = ticket.thematique if ticket is not None else (request.thematique if request else None)
    text = confirmation_text(
        session.get(Place, appointment.place_id),
        appointment.start,
        thematique,
        materiel,
        permanence=session.get(Permanence, appointment.permanence_id),
        has_login=has_login,
        has_email=has_email,
    )
    sent = None
    if resident.phone_e164:
        sent = send_sms(
            session,
            sms=sms,
            to_e164=resident.phone_e164,
            body=text,
            purpose="confirmation",
            ticket_id=ticket.id if ticket else None,
            appointment_id=appointment.id,
        )
    return Confirmation(ticket, text, sent is not None, resident.channel != "sms" or sent is None)


def record_conversation_event(
    session: Session, ticket: Ticket, actor: str, kind: EventKind, detail: dict | None = None
) -> None:
    """A conseiller took, wrote in, or handed back the ticket's conversation (bot/conversations)."""
    add_event(session, ticket, actor[:80], EventKind(kind), detail)


def record_sms(session: Session, ticket: Ticket, actor: str, message, template: str | None) -> None:
    """A conseiller's SMS to the resident: sent (`message`), or refused because the number said STOP (None)."""
    if message is None:
        add_event(session, ticket, actor, EventKind.SMS_REFUSED, {"reason": "opt_out", "template": template})
    else:
        add_event(
            session,
            ticket,
            actor,
            EventKind.SMS,
            {"message_id": message.id, "template": template, "status": message.status},
        )


def flag_sms_failure(session: Session, ticket_id: int, detail: dict) -> Ticket | None:
    """An SMS of this ticket (a reminder, a confirmation) did not arrive."""
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        return None
    ticket.delivery_problem = True
    add_event(session, ticket, "twilio", EventKind.SMS_FAILURE, detail)
    return ticket


def claim_reminder(session: Session, appointment_id: int, now: datetime) -> bool:
    """Take this appointment's reminder with one conditional UPDATE; False when another run took it."""
    result = session.execute(
        update(Appointment)
        .where(Appointment.id == appointment_id, Appointment.reminder_sent_at.is_(None))
        .values(reminder_sent_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def release_reminder(session: Session, appointment_id: int) -> None:
    """Give a claimed reminder back: nothing was sent (the number said STOP), a later run may send it."""
    session.execute(
        update(Appointment)
        .where(Appointment.id == appointment_id)
        .values(reminder_sent_at=None)
        .execution_options(synchronize_session=False)
    )


def strip_personal_fields(
    session: Session,
    ticket: Ticket,
    *,
    triage_keys: tuple[str, ...],
    report_keys: tuple[str, ...],
    event_keys: tuple[str, ...],
) -> bool:
    """Keep only these keys of the triage, the report and the events' details; drop the transcript.
    The privacy policy (which keys) is bot/data_rights/anonymise.py's; True if anything changed."""

    def keep(data: dict | None, keys: tuple[str, ...]) -> dict:
        return {key: value for key, value in (data or {}).items() if key in keys}

    changed = False
    triage, report = keep(ticket.triage, triage_keys), keep(ticket.activity_report, report_keys)
    if ticket.transcript_excerpt is not None:
        ticket.transcript_excerpt, changed = None, True
    if triage != (ticket.triage or {}):
        ticket.triage, changed = triage, True
    if report != (ticket.activity_report or {}):
        ticket.activity_report, changed = report, True
    for event in session.execute(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id)).scalars():
        detail = keep(event.detail, event_keys)
        if detail != (event.detail or {}):
            event.detail, changed = detail, True
    return changed
