"""Calendar feeds: an ICS feed per conseiller and per place, for Outlook,
Google Calendar or Thunderbird to subscribe to.

Calendar apps cannot log in, so a feed lives at a secret URL
(`/calendrier/<token>.ics`). Only the token's SHA-256 is stored: the URL is
shown once, when it is made; a new link revokes the previous one, and a
revoked or unknown token gets a 404. A conseiller manages their own link, a
coordinateur the places' links.

A feed says as little as it can: "RDV aide numérique — <thématique>", the
place's name and address, the time. No resident name or phone number, unless
ICS_INCLUDE_RESIDENT_NAMES=true (then the first name only; never the phone).
Each appointment keeps the same UID whatever happens to it, so a cancelled one
(in the feed's window) becomes STATUS:CANCELLED in the subscriber's calendar
instead of silently vanishing. Times are written in the place's zone with a
VTIMEZONE, so they stay right across daylight saving changes.

This module reads Appointment and Ticket rows; it never writes them.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, select
from sqlalchemy.orm import Session

from bot.booking.models import Appointment, AppointmentStatus
from bot.classification import THEMATIQUES
from bot.db import Base, utcnow
from bot.places.models import Permanence, Place
from bot.residents import Resident
from bot.tickets.models import Ticket

KINDS = ("conseiller", "place")
PAST_DAYS = 30  # appointments (and cancellations) this far back stay in the feed
FUTURE_DAYS = 120
TITLE = "RDV aide numérique"


class CalendarFeed(Base):
    """One secret feed link; revoked_at set when it is revoked or replaced."""

    __tablename__ = "desk_calendar_feeds"

    id = Column(Integer, primary_key=True)
    kind = Column(String(20), nullable=False)  # conseiller | place
    conseiller_id = Column(Integer, ForeignKey("conseillers.id"), nullable=True, index=True)
    place_id = Column(Integer, ForeignKey("places.id"), nullable=True, index=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    created_by = Column(Integer, ForeignKey("desk_users.id", ondelete="SET NULL"), nullable=True)
    revoked_at = Column(DateTime(timezone=True), nullable=True)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _owner_filter(query, kind: str, owner_id: int):
    column = CalendarFeed.conseiller_id if kind == "conseiller" else CalendarFeed.place_id
    return query.where(CalendarFeed.kind == kind, column == owner_id)


def active_feed(session: Session, kind: str, owner_id: int) -> CalendarFeed | None:
    query = _owner_filter(select(CalendarFeed), kind, owner_id).where(CalendarFeed.revoked_at.is_(None))
    return session.execute(query.order_by(CalendarFeed.id.desc())).scalars().first()


def revoke_feeds(session: Session, kind: str, owner_id: int, *, now: datetime | None = None) -> int:
    feeds = list(
        session.execute(
            _owner_filter(select(CalendarFeed), kind, owner_id).where(CalendarFeed.revoked_at.is_(None))
        ).scalars()
    )
    for feed in feeds:
        feed.revoked_at = now or utcnow()
    session.flush()
    return len(feeds)


def create_feed(session: Session, kind: str, owner_id: int, *, created_by: int | None = None) -> str:
    """A new secret link for this conseiller or place (the previous one is revoked). Returns the token."""
    if kind not in KINDS:
        raise ValueError(f"unknown feed kind {kind!r}")
    revoke_feeds(session, kind, owner_id)
    token = secrets.token_urlsafe(32)
    session.add(
        CalendarFeed(
            kind=kind,
            conseiller_id=owner_id if kind == "conseiller" else None,
            place_id=owner_id if kind == "place" else None,
            token_hash=token_hash(token),
            created_by=created_by,
        )
    )
    session.flush()
    return token


def feed_for_token(session: Session, token: str) -> CalendarFeed | None:
    """The active feed of this token, or None. The stored hash is compared in constant time."""
    if not token or len(token) > 100:
        return None
    wanted = token_hash(token)
    feed = session.execute(select(CalendarFeed).where(CalendarFeed.token_hash == wanted)).scalar_one_or_none()
    if feed is None or not hmac.compare_digest(feed.token_hash, wanted) or feed.revoked_at is not None:
        return None
    return feed


def feed_name(session: Session, feed: CalendarFeed) -> str:
    if feed.kind == "place":
        place = session.get(Place, feed.place_id)
        return f"Aide numérique — {place.nom if place else 'lieu'}"
    from bot.places.models import Conseiller

    conseiller = session.get(Conseiller, feed.conseiller_id)
    return f"Aide numérique — {conseiller.name if conseiller else 'conseiller'}"


def _appointments(session: Session, feed: CalendarFeed, now: datetime) -> list[Appointment]:
    query = select(Appointment).where(
        Appointment.start >= now - timedelta(days=PAST_DAYS), Appointment.start <= now + timedelta(days=FUTURE_DAYS)
    )
    if feed.kind == "place":
        query = query.where(Appointment.place_id == feed.place_id)
    else:
        query = query.join(Permanence, Permanence.id == Appointment.permanence_id).where(
            Permanence.conseiller_id == feed.conseiller_id
        )
    return list(session.execute(query.order_by(Appointment.start, Appointment.id)).scalars())


def _thematiques(session: Session, appointment_ids: list[int]) -> dict[int, str]:
    if not appointment_ids:
        return {}
    rows = session.execute(
        select(Ticket.appointment_id, Ticket.thematique)
        .where(Ticket.appointment_id.in_(appointment_ids))
        .order_by(Ticket.id)
    )
    return {appointment_id: thematique for appointment_id, thematique in rows if thematique}


def _vtimezone(tzid: str) -> Timezone | None:
    """The VTIMEZONE of the European Union's rule (last Sunday of March and of October, 01:00 UTC),
    which every place's zone follows today; None for another zone (its times are then written in UTC)."""
    if tzid not in ("Europe/Paris", "Europe/Luxembourg", "Europe/Brussels", "Europe/Berlin"):
        return None
    tz = Timezone()
    tz.add("tzid", tzid)
    summer = TimezoneDaylight()
    summer.add("tzname", "CEST")
    summer.add("dtstart", datetime(1981, 3, 29, 2, 0))
    summer.add("tzoffsetfrom", timedelta(hours=1))
    summer.add("tzoffsetto", timedelta(hours=2))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    winter = TimezoneStandard()
    winter.add("tzname", "CET")
    winter.add("dtstart", datetime(1996, 10, 27, 3, 0))
    winter.add("tzoffsetfrom", timedelta(hours=2))
    winter.add("tzoffsetto", timedelta(hours=1))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    tz.add_component(summer)
    tz.add_component(winter)
    return tz


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def build_feed(
    session: Session, feed: CalendarFeed, *, public_url: str, include_names: bool = False, now: datetime | None = None
) -> bytes:
    """The feed's iCalendar text."""
    now = _aware(now or utcnow())
    appointments = _appointments(session, feed, now)
    labels = _thematiques(session, [a.id for a in appointments])
    host = urlsplit(public_url).hostname or "aide-numerique.local"

    calendar = Calendar()
    calendar.add("prodid", "-//Ville de Metz//Aide numerique//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", feed_name(session, feed))
    calendar.add("x-published-ttl", "PT1H")
    zones_added = set()
    for appointment in appointments:
        place = appointment.place
        tzid = place.timezone or "Europe/Paris"
        vtimezone = _vtimezone(tzid)
        if vtimezone is not None and tzid not in zones_added:
            calendar.add_component(vtimezone)
            zones_added.add(tzid)
        zone = ZoneInfo(tzid) if vtimezone is not None else timezone.utc
        thematique = labels.get(appointment.id)
        summary = f"{TITLE} — {THEMATIQUES.get(thematique, thematique)}" if thematique else TITLE
        if include_names:
            resident = session.get(Resident, appointment.resident_id)
            if resident is not None and resident.first_name:
                summary = f"{summary} ({resident.first_name})"
        event = Event()
        event.add("uid", f"appointment-{appointment.id}@{host}")
        event.add("dtstamp", now.astimezone(timezone.utc))
        event.add("dtstart", _aware(appointment.start).astimezone(zone))
        event.add("dtend", _aware(appointment.end).astimezone(zone))
        event.add("summary", summary)
        event.add("location", f"{place.nom}, {place.adresse}, {place.code_postal} {place.commune}")
        if appointment.status in (AppointmentStatus.EXCUSED, AppointmentStatus.REVOKED):
            event.add("status", "CANCELLED")
            event.add("sequence", 1)
        else:
            event.add("status", "CONFIRMED")
            event.add("sequence", 0)
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    return calendar.to_ical()
