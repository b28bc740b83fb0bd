"""The waitlist: join it, offer freed seats to it (a job), take a seat with OUI, leave it.

Why a job that scans, and not a hook in every cancellation: a seat becomes free
for many reasons (a resident's ANNULER, the desk's cancel or move, a closure or a
permanence stopped, a new permanence day, a new slot length, an absence lifted), in
several writers. The job asks the one question that covers them all: for each
entry, in the order it joined, is there now a free slot (bot/booking/slots.py,
every rule of booking applied) earlier than what the entry has? It is idempotent
(an offer is a row, unique per entry and slot), safe from cron, and needs no
change in the writers; the price is a delay of one run (WAITLIST job, every
minute in `make run`).

Rules: first come, first offered; a slot is texted to at most `batch` entries at a
time (WAITLIST_OFFER_BATCH, 3) and each offer waits `offer_minutes`; an entry has at
most one offer waiting. Nothing is sent in the quiet hours (REMINDER_QUIET_*, the
place's wall time): offers wait for the morning. A number that said STOP gets
nothing (its entries are held; START brings them back while they last). The first
OUI takes the seat through bot/handoff/ (the unique seat constraint decides); a later
OUI is told the seat is taken and stays on the list. Settings are passed in by the
entry points (bot/cli/waitlist.py, the actions, the SMS channel).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from pathlib import Path
from typing import Callable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.booking.french import french_datetime, french_day
from bot.booking.models import Appointment, AppointmentStatus
from bot.booking.slots import BookingWindow, Slot, next_slots
from bot.booking.timeutil import as_utc, local
from bot.handoff import HandoffRequest, SlotTaken, TooManyAppointments, confirm_booking
from bot.handoff.waitlist import take_freed_seat
from bot.places.models import Permanence, Place
from bot.privacy.hashing import phone_hash
from bot.reminders import in_quiet_hours
from bot.residents import Resident
from bot.sms.models import ANSWERED, InboundMessage
from bot.sms.opt_out import is_opted_out
from bot.sms.outbound import SmsConfig, send_sms
from bot.texts import waitlist as texts
from bot.triage.routing import orientation_of
from bot.waitlist.models import EntryStatus, OfferStatus, WaitlistEntry, WaitlistOffer

# The answers that can only mean the offer (whole message, accents and punctuation ignored): the
# assistant never asks for them, so they take the seat even after the resident went on talking
# with it (`talked_since`); PLACE is what the reminder asks for (texts.reminder_text).
TAKE_WORDS = frozenset({"PLACE", "CRENEAU", "JE PRENDS", "OUI JE PRENDS", "JE PRENDS LA PLACE", "JE PRENDS LE CRENEAU"})
# The answers that take the seat (whole message, accents and punctuation ignored).
YES_WORDS = TAKE_WORDS | {"OUI", "OUI MERCI", "OK", "D ACCORD", "DACCORD", "O"}
# The answers that turn an offer down (whole message, accents and punctuation ignored).
NO_WORDS = frozenset(
    {
        "NON",
        "NON MERCI",
        "N",
        "NAN",
        "NON CA NE M ARRANGE PAS",
        "CA NE M ARRANGE PAS",
        "JE NE PEUX PAS",
        "JE PEUX PAS",
        "PAS DISPO",
        "PAS POSSIBLE",
    }
)


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


# --- joining --------------------------------------------------------------------------------


def can_join(resident: Resident, conversation_id: str) -> bool:
    """By SMS (or the phone line, same number), or the widget once a phone number was given:
    the offers go by SMS, so a number is needed."""
    return bool(resident.phone_e164)


def join(
    session: Session,
    resident: Resident,
    *,
    place_ids: list[int],
    thematique: str | None,
    kind: str,
    before: datetime,
    days: int,
    current: Appointment | None = None,
    route: str | None = None,
    triage: dict | None = None,
    now: datetime | None = None,
    hash_key: str,
) -> WaitlistEntry:
    """Put the resident on the list (one active entry each: a new one replaces the old; `hash_key`:
    HASH_KEY, for a resident whose number has no hash yet)."""
    now = as_utc(now or now_utc())
    expires = as_utc(current.start) if current is not None else now + timedelta(days=days)
    for old in active_entries(session, resident_ids=[resident.id]):
        _end(old, EntryStatus.REMOVED, now, "replaced")
    entry = WaitlistEntry(
        resident_id=resident.id,
        phone_hash=resident.phone_hash or phone_hash(resident.phone_e164, hash_key),
        place_ids=sorted(set(place_ids)),
        thematique=thematique,
        kind=kind or "individuel",
        route=route,
        triage=dict(triage or {}),
        appointment_id=current.id if current is not None else None,
        before=as_utc(before),
        expires_at=expires,
        status=EntryStatus.ACTIVE,
        created_at=now,
    )
    session.add(entry)
    session.flush()
    return entry


def until_text(entry: WaitlistEntry, tz: str = "Europe/Paris") -> str:
    return french_day(local(entry.expires_at, tz))


def _end(entry: WaitlistEntry, status: EntryStatus, now: datetime, by: str) -> None:
    entry.status, entry.ended_at, entry.ended_by = status, now, by[:80]


def remove(session: Session, entry: WaitlistEntry, actor: str, now: datetime | None = None) -> None:
    """The desk takes the entry off the list; its waiting offers end."""
    now = as_utc(now or now_utc())
    if entry.status == EntryStatus.ACTIVE:
        _end(entry, EntryStatus.REMOVED, now, actor)
    session.execute(
        sa.update(WaitlistOffer)
        .where(
            WaitlistOffer.entry_id == entry.id,
            WaitlistOffer.status == OfferStatus.PENDING,
        )
        .values(status=OfferStatus.EXPIRED)
        .execution_options(synchronize_session="fetch")
    )


def active_entries(session: Session, *, resident_ids: list[int] | None = None) -> list[WaitlistEntry]:
    query = sa.select(WaitlistEntry).where(WaitlistEntry.status == EntryStatus.ACTIVE)
    if resident_ids is not None:
        query = query.where(WaitlistEntry.resident_id.in_(resident_ids or [-1]))
    return list(session.execute(query.order_by(WaitlistEntry.created_at, WaitlistEntry.id)).scalars())


# --- the job ----------------------------------------------------------------------------------


@dataclass
class WaitlistRun:
    expired: int = 0
    offered: int = 0
    held: int = 0  # STOP, or quiet hours: waiting
    offers_expired: int = 0

    def __str__(self) -> str:
        return (
            f"{self.offered} offer(s) sent, {self.held} held (quiet hours or STOP), "
            f"{self.expired} entr(y/ies) expired, {self.offers_expired} offer(s) expired"
        )


def expire(session: Session, now: datetime) -> tuple[int, int]:
    """Entries past their date or whose appointment is no longer to come; offers not answered in time."""
    entries = 0
    for entry in active_entries(session):
        appointment = session.get(Appointment, entry.appointment_id) if entry.appointment_id else None
        lost = entry.appointment_id is not None and (
            appointment is None or appointment.status != AppointmentStatus.BOOKED
        )
        if as_utc(entry.expires_at) <= now or lost:
            _end(entry, EntryStatus.EXPIRED, now, "expiry")
            entries += 1
    offers = (
        session.execute(
            sa.update(WaitlistOffer)
            .where(
                WaitlistOffer.status == OfferStatus.PENDING,
                WaitlistOffer.expires_at <= now,
            )
            .values(status=OfferStatus.EXPIRED)
            .execution_options(synchronize_session="fetch")
        ).rowcount
        or 0
    )
    return entries, offers


def _slot_key(permanence_id: int, start: datetime) -> str:
    return f"{permanence_id}@{as_utc(start).isoformat()}"


def _pending(session: Session) -> list[WaitlistOffer]:
    return list(session.execute(sa.select(WaitlistOffer).where(WaitlistOffer.status == OfferStatus.PENDING)).scalars())


def _earlier_slot(
    session: Session,
    entry: WaitlistEntry,
    now: datetime,
    per_slot: dict[str, int],
    batch: int,
    exclude: set[str],
    window: BookingWindow,
) -> Slot | None:
    """The first free slot earlier than what the entry has, not yet offered to it nor to `batch` others."""
    for topic in dict.fromkeys([entry.thematique, None]):
        slots = next_slots(
            session,
            now=now,
            thematique=topic,
            place_ids=list(entry.place_ids or []) or None,
            kind=entry.kind,
            limit=batch + 3,
            exclude=tuple(exclude),
            window=window,
        )
        for slot in slots:
            if as_utc(slot.start) >= as_utc(entry.before):
                break
            if per_slot.get(slot.key(), 0) < batch:
                return slot
        if slots:
            return None
    return None


def offer_freed_seats(
    session: Session,
    *,
    offer_minutes: int,
    batch: int,
    quiet_start: time,
    quiet_end: time,
    window: BookingWindow,
    sms: SmsConfig,
    now: datetime | None = None,
    sender: Callable = send_sms,
) -> WaitlistRun:
    """One run of the job: expire, then text each waiting entry its earlier free slot inside `window`
    (BOOKING_MIN_NOTICE_HOURS, BOOKING_HORIZON_DAYS, TIMEZONE: the job's command passes it). Commits."""
    now = as_utc(now or now_utc())
    run = WaitlistRun()
    run.expired, run.offers_expired = expire(session, now)
    session.commit()
    pending = _pending(session)
    waiting = {offer.entry_id for offer in pending}
    per_slot: dict[str, int] = {}
    for offer in pending:
        key = _slot_key(offer.permanence_id, offer.start)
        per_slot[key] = per_slot.get(key, 0) + 1
    for entry in active_entries(session):
        if entry.id in waiting:
            continue
        resident = session.get(Resident, entry.resident_id)
        if resident is None or not resident.phone_e164:
            continue
        if is_opted_out(session, resident.phone_e164, sms.hash_key):
            run.held += 1
            continue
        offered_before = {
            _slot_key(o.permanence_id, o.start)
            for o in session.execute(sa.select(WaitlistOffer).where(WaitlistOffer.entry_id == entry.id)).scalars()
        }
        current = session.get(Appointment, entry.appointment_id) if entry.appointment_id else None
        if current is not None:
            offered_before.add(_slot_key(current.permanence_id, current.start))
        slot = _earlier_slot(session, entry, now, per_slot, batch, offered_before, window)
        if slot is None:
            continue
        place = session.get(Place, slot.place_id)
        if in_quiet_hours(local(now, place.timezone), quiet_start, quiet_end):
            run.held += 1
            continue
        offer = WaitlistOffer(
            entry_id=entry.id,
            permanence_id=slot.permanence_id,
            start=as_utc(slot.start),
            status=OfferStatus.PENDING,
            sent_at=now,
            expires_at=now + timedelta(minutes=offer_minutes),
        )
        session.add(offer)
        session.flush()
        message = sender(
            session,
            sms=sms,
            to_e164=resident.phone_e164,
            purpose="waitlist_offer",
            body=texts.offer_text(french_datetime(slot.start, place.timezone), place.nom, offer_minutes // 60),
        )
        if message is None:  # STOP meanwhile
            session.rollback()
            run.held += 1
            continue
        session.commit()
        per_slot[slot.key()] = per_slot.get(slot.key(), 0) + 1
        run.offered += 1
    return run


# --- OUI ----------------------------------------------------------------------------------------


def plain(text: str) -> str:
    without = "".join(c for c in unicodedata.normalize("NFD", text or "") if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", without).split()).upper()


EARLIER = re.compile(r"\b(PLUS TOT|PLUS VITE|PLUS RAPIDE|PLUS RAPIDEMENT|TROP TARD)\b")


def wants_earlier(text: str) -> bool:
    """ "plus tôt", "c'est trop tard", "plus vite": the slots offered are too late."""
    return bool(EARLIER.search(plain(text)))


def is_yes(text: str) -> bool:
    return plain(text) in YES_WORDS


def is_no(text: str) -> bool:
    return plain(text) in NO_WORDS


def is_take(text: str) -> bool:
    """PLACE, "je prends": a yes that cannot answer anything but the offer."""
    return plain(text) in TAKE_WORDS


def talked_since(session: Session, e164: str, since: datetime, key: str) -> bool:
    """Whether the assistant answered a message from this number after `since` (an offer's
    sending; `key`: HASH_KEY). Then its last question ("Cette réponse vous aide ?") is newer than
    the offer, and a bare OUI or NON answers that question, not the offer."""
    return (
        session.execute(
            sa.select(InboundMessage.id)
            .where(
                InboundMessage.from_hash == phone_hash(e164, key),
                InboundMessage.status == ANSWERED,
                InboundMessage.received_at > as_utc(since),
            )
            .limit(1)
        ).first()
        is not None
    )


def reminder_of(session: Session, offer: WaitlistOffer) -> str:
    """The line that tells a resident who went on talking how to still take the seat."""
    permanence = session.get(Permanence, offer.permanence_id)
    place = session.get(Place, permanence.place_id)
    return texts.reminder_text(french_datetime(offer.start, place.timezone), place.nom)


def pending_offer(session: Session, e164: str, now: datetime, key: str) -> WaitlistOffer | None:
    """The latest offer texted to this number that still waits for its OUI (locked until commit;
    `key`: HASH_KEY)."""
    return (
        session.execute(
            sa.select(WaitlistOffer)
            .join(WaitlistEntry, WaitlistEntry.id == WaitlistOffer.entry_id)
            .where(
                WaitlistEntry.phone_hash == phone_hash(e164, key),
                WaitlistEntry.status == EntryStatus.ACTIVE,
                WaitlistOffer.status == OfferStatus.PENDING,
                WaitlistOffer.expires_at > now,
            )
            .order_by(WaitlistOffer.sent_at.desc(), WaitlistOffer.id.desc())
            .limit(1)
            .with_for_update(of=WaitlistOffer)
        )
        .scalars()
        .first()
    )


DEFERRED = "deferred"


@dataclass(frozen=True)
class Answer:
    outcome: str  # taken, missed, too_many, refused; or DEFERRED: the assistant reads the message
    reply: str | None  # the text to send back (None: the confirmation SMS already went out)
    appointment_id: int | None = None

    @property
    def handled(self) -> bool:
        """The message was the offer's answer (else the assistant reads it, and `reply` follows
        its replies)."""
        return self.outcome != DEFERRED


def take(
    session: Session,
    offer: WaitlistOffer,
    now: datetime,
    *,
    max_appointments: int,
    routes_file: Path,
    sms: SmsConfig,
) -> Answer:
    """The resident said OUI to `offer`: the seat is theirs, or it was taken first (`max_appointments`:
    BOOKING_MAX_FUTURE_APPOINTMENTS; `routes_file`: ROUTES_FILE, for the ticket's draft report). The
    caller commits."""
    entry = session.get(WaitlistEntry, offer.entry_id)
    resident = session.get(Resident, entry.resident_id)
    permanence = session.get(Permanence, offer.permanence_id)
    start = as_utc(offer.start)
    slot = Slot(
        permanence.id,
        permanence.place_id,
        start,
        start + timedelta(minutes=permanence.slot_minutes),
        permanence.capacity,
        0,
    )
    current = session.get(Appointment, entry.appointment_id) if entry.appointment_id else None
    request = HandoffRequest(
        triage=dict(entry.triage or {}),
        thematique=entry.thematique,
        route=entry.route,
        orientation=orientation_of(entry.route, routes_file),
    )
    offer.answered_at = now
    try:
        appointment = take_freed_seat(session, resident, slot, current=current, request=request, limit=max_appointments)
    except TooManyAppointments:
        offer.status = OfferStatus.MISSED
        return Answer("too_many", texts.too_many_text(max_appointments))
    except SlotTaken:
        offer.status = OfferStatus.MISSED
        return Answer("missed", texts.taken_by_other_text())
    offer.status = OfferStatus.TAKEN
    _end(entry, EntryStatus.SERVED, now, "resident")
    confirmation = confirm_booking(session, appointment, resident, None, sms=sms)
    return Answer("taken", None if confirmation.sms_sent else confirmation.text, appointment.id)


def refuse(session: Session, offer: WaitlistOffer, now: datetime) -> Answer:
    """The resident said NON to `offer`: it ends now, so the next run offers the slot to the next
    residents without waiting for its expiry; the entry stays on the list (and is never offered
    this slot again). The caller commits."""
    offer.answered_at = now
    offer.status = OfferStatus.REFUSED
    return Answer("refused", texts.refused_text())


# --- the desk ---------------------------------------------------------------------------------


def entries_by_place(session: Session, place_ids: list[int] | None) -> dict[int | None, list[WaitlistEntry]]:
    """Active entries per place (None: any place), FIFO; `place_ids` None means every place."""
    grouped: dict[int | None, list[WaitlistEntry]] = {}
    for entry in active_entries(session):
        targets = list(entry.place_ids or []) or [None]
        for place_id in targets:
            if place_ids is None or place_id in place_ids:
                grouped.setdefault(place_id, []).append(entry)
    return grouped


def entry_visible(entry: WaitlistEntry, place_ids: list[int] | None) -> bool:
    return place_ids is None or bool(set(entry.place_ids or []) & set(place_ids))


# --- personal data ------------------------------------------------------------------------------


def forget(session: Session, resident_ids: list[int], phone_hashes: list[str]) -> int:
    """Erasure: the entries (and their offers) of these residents or numbers."""
    ids = [
        row
        for row in session.execute(
            sa.select(WaitlistEntry.id).where(
                sa.or_(
                    WaitlistEntry.resident_id.in_(resident_ids or [-1]),
                    WaitlistEntry.phone_hash.in_(phone_hashes or [""]),
                )
            )
        ).scalars()
    ]
    if not ids:
        return 0
    session.execute(sa.delete(WaitlistOffer).where(WaitlistOffer.entry_id.in_(ids)))
    return session.execute(sa.delete(WaitlistEntry).where(WaitlistEntry.id.in_(ids))).rowcount or 0


def purge_ended(session: Session, cutoff: datetime) -> int:
    """Retention: entries that left the list before `cutoff` (their offers go with them)."""
    ids = list(
        session.execute(
            sa.select(WaitlistEntry.id).where(
                WaitlistEntry.status != EntryStatus.ACTIVE, WaitlistEntry.ended_at < cutoff
            )
        ).scalars()
    )
    if not ids:
        return 0
    session.execute(sa.delete(WaitlistOffer).where(WaitlistOffer.entry_id.in_(ids)))
    return session.execute(sa.delete(WaitlistEntry).where(WaitlistEntry.id.in_(ids))).rowcount or 0


def export(session: Session, resident_ids: list[int], hashed: str) -> list[dict]:
    """The right of access: the entries of this number and the offers texted to it."""
    places = {p.id: p.nom for p in session.execute(sa.select(Place)).scalars()}
    rows = []
    for entry in session.execute(
        sa.select(WaitlistEntry)
        .where(
            sa.or_(
                WaitlistEntry.resident_id.in_(resident_ids or [-1]),
                WaitlistEntry.phone_hash == hashed,
            )
        )
        .order_by(WaitlistEntry.id)
    ).scalars():
        offers = session.execute(
            sa.select(WaitlistOffer).where(WaitlistOffer.entry_id == entry.id).order_by(WaitlistOffer.id)
        ).scalars()
        rows.append(
            {
                "places": [places.get(i) for i in entry.place_ids or []],
                "thematique": entry.thematique,
                "before": entry.before.isoformat(),
                "expires_at": entry.expires_at.isoformat(),
                "status": entry.status,
                "created_at": entry.created_at.isoformat(),
                "offers": [
                    {"start": o.start.isoformat(), "sent_at": o.sent_at.isoformat(), "status": o.status} for o in offers
                ],
            }
        )
    return rows
