"""Choosing the slots to offer after a triage: near the person, when they prefer.

Preferences are relaxed step by step when nothing fits: first the time of
day, then the neighbourhood; an empty list means no free slot at all. A
workshop keeps the neighbourhood the person gave: a group session across the
city is not offered in place of a personal appointment near them (the action
then offers that appointment).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.booking.slots import BookingWindow, Slot, next_slots
from bot.booking.timeutil import as_utc
from bot.places.lookup import find_places
from bot.places.models import Permanence
from bot.triage.answers import SKIPPED

OFFER_SIZE = 3


@dataclass
class Offer:
    slots: list[Slot]
    relaxed: list[str]  # which preferences had to be dropped ("horaire", "quartier")


def known(value: str | None) -> str | None:
    return None if value in (None, "", SKIPPED, "connu") else value


def offer_slots(
    session: Session,
    *,
    thematique: str | None,
    neighbourhood: str | None,
    preferred: str | None,
    kind: str = "individuel",
    exclude: list[str] | tuple[str, ...] = (),
    now: datetime | None = None,
    place_ids: list[int] | None = None,
    size: int = OFFER_SIZE,
    window: BookingWindow,
) -> Offer:
    """`place_ids` (a place chosen on the desk) stands for the neighbourhood's places."""
    if not place_ids:
        places = find_places(session, known(neighbourhood) or "")
        place_ids = [p.id for p in places] or None
    preferred = known(preferred)
    attempts = [
        (place_ids, preferred, []),
        (place_ids, None, ["horaire"]),
    ]
    if kind != "atelier" or not place_ids:
        attempts += [(None, preferred, ["quartier"]), (None, None, ["horaire", "quartier"])]
    tried = set()
    for ids, pref, relaxed in attempts:
        if (tuple(ids or ()), pref) in tried:
            continue
        tried.add((tuple(ids or ()), pref))
        for topic in dict.fromkeys([thematique, None]):
            # When no permanence lists the thematique, any conseiller can help.
            slots = next_slots(
                session,
                now=now,
                thematique=topic,
                place_ids=ids,
                preferred=pref,
                kind=kind,
                limit=size,
                exclude=tuple(exclude),
                window=window,
            )
            if slots:
                return Offer(slots, relaxed)
    return Offer([], [])


def slot_from_dict(session: Session, data: dict) -> Slot:
    """Rebuild a slot offered earlier (stored in the conversation as a dict)."""
    permanence = session.get(Permanence, int(data["permanence_id"]))
    start = as_utc(datetime.fromisoformat(data["start"]))
    end = start + timedelta(minutes=permanence.slot_minutes)
    return Slot(permanence.id, permanence.place_id, start, end, permanence.capacity, 0)
