"""Reminder SMS before appointments: `python -m bot reminders`, safe from cron.

An appointment is due for its reminder REMINDER_HOURS_BEFORE hours before its
start. No SMS is sent during the quiet hours (REMINDER_QUIET_START to
REMINDER_QUIET_END, the place's wall time): a reminder that falls in them
waits for the end of the quiet period, and is still sent then if the
appointment has not started.

Each reminder is claimed with one conditional UPDATE (reminder_sent_at from
NULL to now): of two runs at the same time, only one gets the row, so a
reminder is never sent twice. Opted-out numbers get nothing (send_sms), and
their reminder is held, not marked sent: after START, a later run sends it
if the appointment is still ahead and outside the quiet hours. Each run
says how many reminders it sent and how many it held.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import handoff
from bot.booking.models import Appointment, AppointmentStatus
from bot.booking.timeutil import as_utc, local
from bot.places.models import Place
from bot.residents import Resident
from bot.settings import Settings
from bot.sms.opt_out import is_opted_out
from bot.sms.outbound import SmsConfig, send_sms
from bot.texts.reminders import reminder_text


def parse_hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def in_quiet_hours(moment_local: datetime, start: time, end: time) -> bool:
    now = moment_local.time()
    if start <= end:
        return start <= now < end
    return now >= start or now < end  # the quiet period spans midnight


@dataclass(frozen=True)
class ReminderPolicy:
    """Remind `hours_before` an appointment, never between `quiet_start` and `quiet_end` (local "HH:MM")
    (REMINDER_HOURS_BEFORE, REMINDER_QUIET_START, REMINDER_QUIET_END; the reminders job passes them)."""

    hours_before: int
    quiet_start: str
    quiet_end: str

    @classmethod
    def of(cls, settings: Settings) -> ReminderPolicy:
        return cls(settings.reminder_hours_before, settings.reminder_quiet_start, settings.reminder_quiet_end)


def due_appointments(session: Session, now: datetime, hours_before: int) -> list[Appointment]:
    horizon = now + timedelta(hours=hours_before)
    return list(
        session.execute(
            select(Appointment)
            .where(
                Appointment.status == AppointmentStatus.BOOKED,
                Appointment.reminder_sent_at.is_(None),
                Appointment.start > now,
                Appointment.start <= horizon,
            )
            .order_by(Appointment.start)
        ).scalars()
    )


def claim(session: Session, appointment_id: int, now: datetime) -> bool:
    """Take the reminder for this run (bot.handoff.claim_reminder); False when another run already took it."""
    claimed = handoff.claim_reminder(session, appointment_id, now)
    session.commit()
    return claimed


def release(session: Session, appointment_id: int) -> None:
    """Give a claimed reminder back: nothing was sent, a later run may send it."""
    handoff.release_reminder(session, appointment_id)
    session.commit()


@dataclass
class ReminderRun:
    sent: int = 0
    held: int = 0  # the number said STOP: kept for after START

    def __str__(self) -> str:
        return f"{self.sent} reminder(s) sent, {self.held} held (number stopped)"


def send_due_reminders(
    session: Session,
    now: datetime | None = None,
    sender: Callable = send_sms,
    *,
    policy: ReminderPolicy,
    sms: SmsConfig,
) -> ReminderRun:
    """Send every due reminder once; hold those of stopped numbers. Returns the counts."""
    now = as_utc(now or datetime.now(timezone.utc))
    quiet_start, quiet_end = parse_hhmm(policy.quiet_start), parse_hhmm(policy.quiet_end)
    run = ReminderRun()
    for appointment in due_appointments(session, now, policy.hours_before):
        place = session.get(Place, appointment.place_id)
        if in_quiet_hours(local(now, place.timezone), quiet_start, quiet_end):
            continue  # a later run, after the quiet hours, sends it
        resident = session.get(Resident, appointment.resident_id)
        if resident is None or not resident.phone_e164:
            continue
        if is_opted_out(session, resident.phone_e164, sms.hash_key):
            run.held += 1  # not claimed: after START, a later run sends it
            continue
        if not claim(session, appointment.id, now):
            continue
        ticket = handoff.ticket_for_appointment(session, appointment.id)
        message = sender(
            session,
            sms=sms,
            to_e164=resident.phone_e164,
            body=reminder_text(place, appointment.start),
            purpose="reminder",
            ticket_id=ticket.id if ticket else None,
            appointment_id=appointment.id,
        )
        session.commit()
        if message is None:  # the number said STOP meanwhile: nothing went out
            release(session, appointment.id)
            run.held += 1
            continue
        run.sent += 1
    return run
