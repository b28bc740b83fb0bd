"""A caller asks for a person ("0", "conseiller", "parler à quelqu'un").

During a permanence of the caller's place, and when that place takes
transferred calls (`voice_transfer`, off by default, and a `telephone`), the
call is put through to the place (<Dial>). The place is the one of the
caller's next appointment, else VOICE_TRANSFER_PLACE. Otherwise (closed,
no transfer, nobody answered) a call-back ticket is made, as the SMS
assistant does for "RAPPEL" (route `rappel`, bot/tickets), and the caller
hears when a conseiller will call: the next permanence's opening.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from opening_hours import OpeningHours, State
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import handoff
from bot.booking.slots import is_public_holiday
from bot.booking.timeutil import as_utc, local, wall_to_utc
from bot.handoff import upcoming_for_resident
from bot.handoff.report import HandoffRequest
from bot.phones import to_e164
from bot.places.models import Closure, Permanence, Place
from bot.privacy.redaction import redact
from bot.residents import Resident
from bot.settings import Settings
from bot.texts.french import french_datetime
from bot.texts.voice import callback_from, callback_today
from bot.tickets.models import Ticket, TicketStatus
from bot.triage.answers import CALLBACK


@dataclass(frozen=True)
class Handoff:
    kind: str  # "dial", "callback", "already", "need_number"
    number: str | None = None  # E.164 to dial, or the number the conseiller will call
    when: str | None = None  # "à partir de mardi 2 décembre à 9 h"


@dataclass(frozen=True)
class TransferPolicy:
    """Where a caller without an appointment is put through (VOICE_TRANSFER_PLACE, a place's slug), and the
    city's TIMEZONE for a place without one: the voice channel passes them."""

    place: str
    timezone: str
    region: str  # SMS_DEFAULT_REGION, for a place's number without its country code

    @classmethod
    def of(cls, settings: Settings) -> TransferPolicy:
        return cls(settings.voice_transfer_place or "", settings.timezone, settings.sms_default_region)


def place_for(session: Session, resident: Resident | None, now: datetime, slug: str = "") -> Place | None:
    if resident is not None:
        for appointment in upcoming_for_resident(session, resident.id, now):
            return session.get(Place, appointment.place_id)
    if slug:
        return session.execute(select(Place).where(Place.slug == slug)).scalar_one_or_none()
    return None


def _closed_on(session: Session, place: Place, day) -> bool:
    if is_public_holiday(place, day):
        return True
    return (
        session.execute(
            select(Closure.id)
            .where(Closure.place_id == place.id, Closure.start_date <= day, Closure.end_date >= day)
            .limit(1)
        ).first()
        is not None
    )


def _permanences(session: Session, place: Place | None) -> list[Permanence]:
    query = select(Permanence).join(Place).where(Permanence.active.is_(True), Place.active.is_(True))
    if place is not None:
        query = query.where(Permanence.place_id == place.id)
    return list(session.execute(query).scalars())


def in_permanence(session: Session, place: Place, now: datetime, city_tz: str) -> bool:
    """Is one of the place's permanences open at this moment (not a holiday, not closed)?"""
    tz = place.timezone or city_tz
    wall = local(as_utc(now), tz).replace(tzinfo=None)
    if _closed_on(session, place, wall.date()):
        return False
    return any(OpeningHours(p.schedule).is_open(wall) for p in _permanences(session, place))


def next_opening(
    session: Session, place: Place | None, now: datetime, days: int = 35, *, city_tz: str
) -> tuple[datetime, str] | None:
    """The next start of a permanence (of this place, or of any): (UTC moment, its place's timezone)."""
    best = None
    for permanence in _permanences(session, place):
        where = permanence.place
        tz = where.timezone or city_tz
        start = local(as_utc(now), tz).replace(tzinfo=None, second=0, microsecond=0)
        found = None
        for opens, closes, state, _ in OpeningHours(permanence.schedule).intervals(start, start + timedelta(days=days)):
            if state != State.OPEN:
                continue
            cursor = max(opens, start)
            while cursor < closes:  # a closed day (holiday, closure) inside an opening: the next day
                if not _closed_on(session, where, cursor.date()):
                    found = cursor
                    break
                cursor = datetime.combine(cursor.date() + timedelta(days=1), datetime.min.time())
            if found is not None:
                break
        if found is not None:
            moment = wall_to_utc(found, tz)
            if best is None or moment < best[0]:
                best = (moment, tz)
    return best


def when_text(session: Session, place: Place | None, now: datetime, city_tz: str) -> str | None:
    found = next_opening(session, place, now, city_tz=city_tz)
    if found is None:
        return None
    moment, tz = found
    if moment <= as_utc(now) + timedelta(minutes=1):
        return callback_today()
    return callback_from(french_datetime(moment, tz))


def open_callback(session: Session, resident: Resident) -> Ticket | None:
    return session.execute(
        select(Ticket)
        .where(
            Ticket.resident_id == resident.id,
            Ticket.route == CALLBACK,
            Ticket.status == TicketStatus.NOUVEAU,
            Ticket.appointment_id.is_(None),
        )
        .limit(1)
    ).scalar_one_or_none()


def make_callback_ticket(session: Session, resident: Resident, place: Place | None, transcript: list[str]) -> Ticket:
    request = HandoffRequest(
        triage={"canal": "telephone", "demande": "rappel"},
        thematique=None,
        route=CALLBACK,
        orientation=None,  # a call back orients to no structure
        transcript="\n".join(redact(t) for t in transcript[-8:]),
    )
    return handoff.open_ticket(session, resident, request, place=place)


def hand_off(
    session: Session,
    resident: Resident,
    transcript: list[str],
    *,
    policy: TransferPolicy,
    now: datetime | None = None,
    dial_failed: bool = False,
) -> Handoff:
    """Transfer now, or make (once) the call-back ticket; `need_number` when none is known."""
    now = as_utc(now or datetime.now(timezone.utc))
    place = place_for(session, resident, now, policy.place)
    if not dial_failed and place is not None and place.voice_transfer and place.telephone:
        number = to_e164(place.telephone, policy.region)
        if number and in_permanence(session, place, now, policy.timezone):
            return Handoff("dial", number)
    when = when_text(session, place, now, policy.timezone)
    if not resident.phone_e164:
        return Handoff("need_number", when=when)
    if open_callback(session, resident) is not None:
        return Handoff("already", resident.phone_e164, when)
    make_callback_ticket(session, resident, place, transcript)
    return Handoff("callback", resident.phone_e164, when)
