"""Editing permanences, closures and absences from the desk.

A place or a permanence can also be marked closed until a date (`closed_until`,
e.g. a building being rebuilt): no slot is offered up to that day, and the
residents already booked in that period are cancelled and texted, as for a closure.

Slots are computed from these tables at each request (bot.booking.slots), so
what the bot offers follows at once. When a change removes time that residents
have already booked (a closure, an absence, a cancelled permanence), their
appointments are cancelled (the seat is freed), their tickets say why, and
each resident gets an SMS.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from opening_hours import OpeningHours, ParserError, State
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import handoff
from bot.booking.models import Appointment, AppointmentStatus
from bot.booking.timeutil import as_utc, local, wall_to_utc
from bot.places.models import Absence, Closure, Conseiller, Permanence, Place
from bot.residents import Resident
from bot.sms.outbound import SmsConfig, send_sms
from bot.texts.desk import cancellation_by_desk_text
from bot.tickets.models import CancelledBy

MAX_SLOT_MINUTES = 240
MAX_CAPACITY = 50


class ScheduleError(ValueError):
    """A schedule or a date range the desk cannot accept (French message)."""


@dataclass
class CancelReport:
    cancelled: int = 0
    texted: int = 0


def validate_schedule(schedule: str) -> str:
    schedule = (schedule or "").strip()
    if not schedule:
        raise ScheduleError("Indiquez les horaires de la permanence.")
    try:
        OpeningHours(schedule)
    except (ParserError, ValueError) as error:
        raise ScheduleError(
            "Ces horaires ne sont pas compris. Exemple : « Tu 14:00-17:00; Th 09:00-12:00 »."
        ) from error
    return schedule


def update_permanence(
    session: Session, permanence: Permanence, *, schedule: str, slot_minutes: int, capacity: int, title: str | None
) -> Permanence:
    permanence.schedule = validate_schedule(schedule)
    if not 5 <= slot_minutes <= MAX_SLOT_MINUTES:
        raise ScheduleError("La durée d'un créneau doit être entre 5 et 240 minutes.")
    if not 1 <= capacity <= MAX_CAPACITY:
        raise ScheduleError("La capacité doit être entre 1 et 50 personnes.")
    permanence.slot_minutes = slot_minutes
    permanence.capacity = capacity
    permanence.title = (title or "").strip()[:200] or None
    session.flush()
    return permanence


def cancel_booked(
    session: Session, appointments: list[Appointment], actor: str, reason: str, *, sms: SmsConfig
) -> CancelReport:
    """Cancel these appointments, note it on their tickets and text each resident."""
    report = CancelReport()
    for appointment in appointments:
        if appointment.status != AppointmentStatus.BOOKED:
            continue
        ticket = handoff.cancel(session, appointment, by=CancelledBy.SERVICE, actor=actor, reason=reason)
        report.cancelled += 1
        resident = session.get(Resident, appointment.resident_id)
        place = session.get(Place, appointment.place_id)
        if resident is not None and resident.phone_e164:
            sent = send_sms(
                session,
                sms=sms,
                to_e164=resident.phone_e164,
                body=cancellation_by_desk_text(place, appointment.start),
                purpose="desk",
                ticket_id=ticket.id if ticket else None,
                appointment_id=appointment.id,
            )
            report.texted += sent is not None
    return report


def future_booked(session: Session, now: datetime | None = None, **where) -> list[Appointment]:
    now = now or datetime.now(timezone.utc)
    query = select(Appointment).where(Appointment.status == AppointmentStatus.BOOKED, Appointment.start > now)
    for column, value in where.items():
        query = query.where(getattr(Appointment, column) == value)
    return list(session.execute(query.order_by(Appointment.start)).scalars())


def add_closure(
    session: Session, place: Place, start_date: date, end_date: date, reason: str | None, actor: str, *, sms: SmsConfig
) -> tuple[Closure, CancelReport]:
    if end_date < start_date:
        raise ScheduleError("La date de fin est avant la date de début.")
    closure = Closure(place_id=place.id, start_date=start_date, end_date=end_date, reason=(reason or "")[:200] or None)
    session.add(closure)
    session.flush()
    hit = [
        a
        for a in future_booked(session, place_id=place.id)
        if start_date <= local(a.start, place.timezone).date() <= end_date
    ]
    return closure, cancel_booked(session, hit, actor, "fermeture", sms=sms)


def add_absence(
    session: Session,
    conseiller: Conseiller,
    start: datetime,
    end: datetime,
    reason: str | None,
    actor: str,
    *,
    sms: SmsConfig,
) -> tuple[Absence, CancelReport]:
    start, end = as_utc(start), as_utc(end)
    if end <= start:
        raise ScheduleError("La fin de l'absence doit être après son début.")
    absence = Absence(conseiller_id=conseiller.id, start=start, end=end, reason=(reason or "")[:200] or None)
    session.add(absence)
    session.flush()
    permanence_ids = set(
        session.execute(select(Permanence.id).where(Permanence.conseiller_id == conseiller.id)).scalars()
    )
    hit = [
        a
        for a in future_booked(session)
        if a.permanence_id in permanence_ids and as_utc(a.start) < end and start < as_utc(a.end)
    ]
    return absence, cancel_booked(session, hit, actor, "absence", sms=sms)


def cancel_permanence_day(
    session: Session, permanence: Permanence, day: date, actor: str, reason: str | None = None, *, sms: SmsConfig
) -> tuple[Absence | None, CancelReport]:
    """This permanence does not take place on `day`: its hours become an absence of
    its conseiller (so no slot is offered), and the residents booked are texted."""
    tz = permanence.place.timezone
    midnight = datetime.combine(day, time(0))
    opens = [
        (o, c)
        for o, c, state, _ in OpeningHours(permanence.schedule).intervals(midnight, midnight + timedelta(days=1))
        if state == State.OPEN
    ]
    if not opens:
        raise ScheduleError("La permanence n'a pas lieu ce jour-là.")
    start, end = wall_to_utc(opens[0][0], tz), wall_to_utc(opens[-1][1], tz)
    absence = Absence(
        conseiller_id=permanence.conseiller_id,
        start=start,
        end=end,
        reason=((reason or "").strip() or f"Permanence annulée ({permanence.slug})")[:200],
    )
    session.add(absence)
    session.flush()
    hit = [a for a in future_booked(session, permanence_id=permanence.id) if local(a.start, tz).date() == day]
    return absence, cancel_booked(session, hit, actor, "permanence annulée", sms=sms)


def deactivate_permanence(session: Session, permanence: Permanence, actor: str, *, sms: SmsConfig) -> CancelReport:
    """The permanence stops: no more slots, and every future appointment on it is cancelled."""
    permanence.active = False
    session.flush()
    return cancel_booked(
        session, future_booked(session, permanence_id=permanence.id), actor, "permanence arrêtée", sms=sms
    )


def _check_until(until) -> None:
    if not isinstance(until, date):
        raise ScheduleError("Indiquez jusqu'à quelle date c'est fermé.")


def close_place_until(
    session: Session, place: Place, until: date, reason: str | None, actor: str, *, sms: SmsConfig
) -> CancelReport:
    """The place is closed up to `until` (inclusive): no slot until then, and every resident
    booked there from today to that day is cancelled and texted (cancel_booked)."""
    _check_until(until)
    place.closed_until = until
    place.closed_reason = (reason or "").strip()[:200] or None
    session.flush()
    hit = [a for a in future_booked(session, place_id=place.id) if local(a.start, place.timezone).date() <= until]
    return cancel_booked(session, hit, actor, "fermeture", sms=sms)


def close_permanence_until(
    session: Session, permanence: Permanence, until: date, reason: str | None, actor: str, *, sms: SmsConfig
) -> CancelReport:
    """The permanence does not take place up to `until` (inclusive), its residents are texted."""
    _check_until(until)
    tz = permanence.place.timezone
    permanence.closed_until = until
    permanence.closed_reason = (reason or "").strip()[:200] or None
    session.flush()
    hit = [a for a in future_booked(session, permanence_id=permanence.id) if local(a.start, tz).date() <= until]
    return cancel_booked(session, hit, actor, "permanence fermée", sms=sms)


def reopen(row: Place | Permanence) -> None:
    """A place or a permanence closed until a date takes bookings again."""
    row.closed_until = None
    row.closed_reason = None
