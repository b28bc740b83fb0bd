"""Load a city's places file (data/places/<city>.yml) into the database.

Idempotent: places, conseillers and permanences are matched by `slug`;
running it twice changes nothing the second time. The file seeds the
database and the desk owns it afterwards: by default rows that already exist
are left as they are (schedules edited in the desk survive `make run`), and
only new ones are added. With `update=True` (`places load --update`) the file
wins: existing rows are overwritten and permanences no longer in the file
are deactivated, not deleted (appointments keep pointing at them).

Two facts of the file reach the database even without `update`, because they
are safety, not preference: a later `checked` date ("vérifié le"), and a
`closed_until` date later than the database's (a place or a permanence closed
in the file gets no slot, and its booked residents are texted: bot.desk.permanence_admin).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from opening_hours import OpeningHours
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.desk.permanence_admin import close_permanence_until, close_place_until, reopen
from bot.places.file import read_places_file
from bot.places.importer import LIST_FIELDS as NATIONAL_LIST_FIELDS
from bot.places.importer import PUBLIC_SCALAR_FIELDS
from bot.places.models import Closure, Conseiller, Permanence, Place
from bot.sms.outbound import SmsConfig

# The national file's public fields (bot/places/importer.py), plus what the city's file adds.
PLACE_FIELDS = (*PUBLIC_SCALAR_FIELDS, "id_national")
FILE_ACTOR = "fichier des lieux"
LIST_FIELDS = (*NATIONAL_LIST_FIELDS, "aliases")


def _upsert(session: Session, model, slug: str, update: bool, **values):
    row = session.execute(select(model).where(model.slug == slug)).scalar_one_or_none()
    if row is None:
        row = model(slug=slug, **values)
        session.add(row)
    elif update:
        for key, value in values.items():
            setattr(row, key, value)
    session.flush()
    return row


def as_date(value) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def apply_checked(row: Place, checked: date | None, update: bool) -> None:
    if update or (checked and (row.checked_on is None or checked > row.checked_on)):
        row.checked_on = checked


def apply_closed(session: Session, row, entry: dict, update: bool, *, sms: SmsConfig) -> None:
    """The file's `closed_until` on a place or a permanence (see the module docstring)."""
    until = as_date(entry.get("closed_until"))
    if until is None:
        if update and row.closed_until is not None:
            reopen(row)
        return
    if row.closed_until is not None and row.closed_until >= until and not update:
        return
    close = close_place_until if isinstance(row, Place) else close_permanence_until
    close(session, row, until, entry.get("closed_reason"), FILE_ACTOR, sms=sms)


def load_places(session: Session, path: Path, update: bool = False, *, sms: SmsConfig) -> dict[str, int]:
    """Upsert the file's content; returns counts by kind."""
    data = read_places_file(path)
    holidays = data.get("holidays") or {}
    tz = data.get("timezone", "Europe/Paris")
    conseillers = {}
    for entry in data.get("conseillers") or []:
        conseillers[entry["slug"]] = _upsert(
            session,
            Conseiller,
            entry["slug"],
            update,
            name=entry["name"],
            email=entry.get("email"),
            phone_e164=entry.get("phone_e164"),
            active=True,
        )
    seen_permanences = set()
    places = 0
    for entry in data.get("places") or []:
        values = {field: entry.get(field) for field in PLACE_FIELDS}
        values["id_national"] = str(values["id_national"]) if values["id_national"] else None
        values.update({field: [str(v) for v in entry.get(field) or []] for field in LIST_FIELDS})
        values["voice_transfer"] = bool(entry.get("voice_transfer", False))
        place = _upsert(
            session,
            Place,
            entry["slug"],
            update,
            **values,
            holidays_country=holidays.get("country", "FR"),
            holidays_subdiv=holidays.get("subdiv"),
            timezone=tz,
            active=True,
        )
        places += 1
        apply_checked(place, as_date(entry.get("checked")), update)
        apply_closed(session, place, entry, update, sms=sms)
        for perm in entry.get("permanences") or []:
            OpeningHours(perm["schedule"])  # fails loudly on a malformed schedule
            permanence = _upsert(
                session,
                Permanence,
                perm["slug"],
                update,
                place_id=place.id,
                conseiller_id=conseillers[perm["conseiller"]].id,
                kind=perm.get("kind", "individuel"),
                title=perm.get("title"),
                thematiques=perm.get("thematiques"),
                slot_minutes=int(perm.get("slot_minutes", 45)),
                capacity=int(perm.get("capacity", 1)),
                schedule=perm["schedule"],
                active=True,
            )
            apply_closed(session, permanence, perm, update, sms=sms)
            seen_permanences.add(perm["slug"])
    if update:
        for permanence in session.execute(select(Permanence)).scalars():
            if permanence.slug not in seen_permanences:
                permanence.active = False
    closures = 0
    for entry in data.get("closures") or []:
        place = session.execute(select(Place).where(Place.slug == entry["place"])).scalar_one()
        start, end = date.fromisoformat(str(entry["start"])), date.fromisoformat(str(entry.get("end", entry["start"])))
        exists = session.execute(
            select(Closure).where(Closure.place_id == place.id, Closure.start_date == start, Closure.end_date == end)
        ).scalar_one_or_none()
        if exists is None:
            session.add(Closure(place_id=place.id, start_date=start, end_date=end, reason=entry.get("reason")))
            closures += 1
    session.flush()
    return {
        "places": places,
        "conseillers": len(conseillers),
        "permanences": len(seen_permanences),
        "closures": closures,
    }
