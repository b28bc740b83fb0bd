"""What the assistant answers to "où est la permanence ?" / "vous êtes ouverts quand ?".

From the database (places and permanences as the desk keeps them), never from
a fixed text: a place that changes its hours is answered right at once.
The nearest place is the one the message names (quarter, postcode, name,
see bot.places.lookup.find_places); otherwise the places are listed briefly.
A place marked closed says so, and is neither listed nor offered as "near you".
Every answer fits in 3 SMS segments.
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

MAX_SEGMENTS = 3
NEXT_STEP = "Écrivez RDV pour prendre rendez-vous."


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
    parts = [f"{place.nom} : {place.adresse}, {place.code_postal} {place.commune}."]
    if not is_open(place):
        reason = f" ({place.closed_reason})" if place.closed_reason else ""
        return f"{parts[0]} Fermé en ce moment{reason}."
    hours = french_hours(place.horaires)
    if hours:
        parts.append(f"Ouvert {hours}.")
    conseiller = conseiller_hours(place)
    if conseiller:
        parts.append(f"Conseiller numérique : {conseiller}.")
    return " ".join(parts)


def one_place_answer(place: Place, others: list[Place]) -> str:
    text = f"{place_text(place)} {NEXT_STEP}"
    if others:
        longer = f"{place_text(place)} Aussi près de chez vous : {', '.join(p.nom for p in others)}. {NEXT_STEP}"
        if fits_sms(longer):
            return longer
    return text


def all_places_answer(places: list[Place]) -> str:
    names = [p.nom for p in places]
    while True:
        listed = ", ".join(names) + (" et d'autres lieux" if len(names) < len(places) else "")
        text = (f"Les conseillers numériques vous reçoivent : {listed}. "
                f"Dites-moi votre quartier pour l'adresse et les horaires. {NEXT_STEP}")
        if fits_sms(text) or len(names) <= 1:
            return text
        names.pop()


def places_hours_answer(session: Session, message: str) -> str | None:
    """The answer to a places/hours question, or None when no place is configured."""
    found = find_places(session, message or "")
    if found:
        return one_place_answer(found[0], [p for p in found[1:] if is_open(p)][:2])
    places = [p for p in session.execute(select(Place).where(Place.active.is_(True)).order_by(Place.id)).scalars()
              if is_open(p) and any(perm.active for perm in p.permanences)]
    return all_places_answer(places) if places else None
