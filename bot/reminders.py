"""Reminder SMS before appointments: `python -m bot reminders`, safe from cron.

An appointment is due for its reminder REMINDER_HOURS_BEFORE hours before its
start. No SMS is sent during the quiet hours (REMINDER_QUIET_START to
REMINDER_QUIET_END, the place's wall time): a reminder that falls in them
waits for the end of the quiet period, and is still sent then if the
appointment has not started.

Each reminder is claimed with one conditional UPDATE (reminder_sent_at from
NULL to now): of two runs at the same time, only one gets the row, so a
reminder is never sent twice. Opted-out numbers get nothing (send_sms).
"""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import handoff
from bot.booking.messages import reminder_text
from bot.booking.models import Appointment, AppointmentStatus
from bot.booking.timeutil import as_utc, local
from bot.places.models import Place
from bot.residents import Resident
from bot.settings import get_settings
from bot.sms.outbound import send_sms


def parse_hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def in_quiet_hours(moment_local: datetime, start: time, end: time) -> bool:
    now = moment_local.time()
    if start <= end:
        return start <= now < end
    return now >= start or now < end  # the quiet period spans midnight


def due_appointments(session: Session, now: datetime) -> list[Appointment]:
    settings = get_settings()
    horizon = now + timedelta(hours=settings.reminder_hours_before)
    return list(session.execute(
        select(Appointment).where(
            Appointment.status == AppointmentStatus.BOOKED,
            Appointment.reminder_sent_at.is_(None),
            Appointment.start > now,
            Appointment.start <= horizon,
        ).order_by(Appointment.start)
    ).scalars())


def claim(session: Session, appointment_id: int, now: datetime) -> bool:
    """Take the reminder for this run (bot.handoff.claim_reminder); False when another run already took it."""
    claimed = handoff.claim_reminder(session, appointment_id, now)
    session.commit()
    return claimed


def send_due_reminders(session: Session, now: datetime | None = None, sender: Callable = send_sms) -> int:
    """Send every due reminder once; returns how many were sent."""
    settings = get_settings()
    now = as_utc(now or datetime.now(timezone.utc))
    quiet_start, quiet_end = parse_hhmm(settings.reminder_quiet_start), parse_hhmm(settings.reminder_quiet_end)
    sent = 0
    for appointment in due_appointments(session, now):
        place = session.get(Place, appointment.place_id)
        if in_quiet_hours(local(now, place.timezone), quiet_start, quiet_end):
            continue  # a later run, after the quiet hours, sends it
        if not claim(session, appointment.id, now):
            continue
        resident = session.get(Resident, appointment.resident_id)
        if resident is None or not resident.phone_e164:
            continue
        ticket = handoff.ticket_for_appointment(session, appointment.id)
        sender(
            session, to_e164=resident.phone_e164, body=reminder_text(place, appointment.start),
            purpose="reminder", ticket_id=ticket.id if ticket else None, appointment_id=appointment.id,
        )
        session.commit()
        sent += 1
    return sent
