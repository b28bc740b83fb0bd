"""What the assistant answers to "où est la permanence ?" / "vous êtes ouverts quand ?".

From the database (places and permanences as the desk keeps them), never from
a fixed text: a place that changes its hours is answered right at once.
The nearest place is the one the message names (quarter, postcode, name,
see bot.places.lookup.find_places); otherwise the places are listed briefly.
A place marked closed says so, and is neither listed nor offered as "near you".
Every answer fits in 3 SMS segments. The sentences are in bot/texts/places.py.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.booking.timeutil import local
from bot.places.hours_text import french_hours
from bot.places.lookup import find_places
from bot.places.models import Place, closed_on
from bot.sms.encoding import count_segments, normalise
from bot.texts import places as texts

MAX_SEGMENTS = 3


def fits_sms(text: str) -> bool:
    return count_segments(normalise(text, True)).count <= MAX_SEGMENTS


def conseiller_hours(place: Place) -> str | None:
    """When a conseiller numérique receives at the place (individual permanences)."""
    schedules = [p.schedule for p in place.permanences if p.active and p.kind == "individuel"]
    texts = [french_hours(s) for s in schedules if s]
    return " ; ".join(t for t in texts if t) or None


def today_at(place: Place) -> date:
    return local(datetime.now(timezone.utc), place.timezone).date()


def is_open(place: Place) -> bool:
    return not closed_on(place, today_at(place))


def place_text(place: Place) -> str:
    if not is_open(place):
        return texts.closed_place_text(place, place.closed_reason)
    return texts.open_place_text(place, french_hours(place.horaires), conseiller_hours(place))


def one_place_answer(place: Place, others: list[Place]) -> str:
    if others:
        longer = texts.one_place_text(place_text(place), [p.nom for p in others])
        if fits_sms(longer):
            return longer
    return texts.one_place_text(place_text(place))


def all_places_answer(places: list[Place]) -> str:
    names = [p.nom for p in places]
    while True:
        text = texts.all_places_text(names, more=len(names) < len(places))
        if fits_sms(text) or len(names) <= 1:
            return text
        names.pop()


def places_hours_answer(session: Session, message: str) -> str | None:
    """The answer to a places/hours question, or None when no place is configured."""
    found = find_places(session, message or "")
    if found:
        return one_place_answer(found[0], [p for p in found[1:] if is_open(p)][:2])
    places = [
        p
        for p in session.execute(select(Place).where(Place.active.is_(True)).order_by(Place.id)).scalars()
        if is_open(p) and any(perm.active for perm in p.permanences)
    ]
    return all_places_answer(places) if places else None
