"""Import places from the national open-data file of the *schéma des lieux de
médiation numérique* (CSV or JSON, as published on data.gouv.fr by the
Cartographie nationale) into our places file format (data/places/<city>.yml).

The national file describes places, not permanences: the importer writes the
places with their schema fields, keeps the national `id` for later updates,
and marks every place `a_verifier` with an empty `permanences` list, which the
city fills in (conseillers, kind of help, slot length, capacity, schedule).
Multi-valued fields may be JSON arrays or strings separated by `|` or `;`.

`refresh_places` brings the national file's newer public fields (name, address,
phone, hours, services...) into places already in the database, matched by
national `id` or by name and postcode, without touching what the city owns:
permanences, aliases, closures and the "vérifié le" date.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from pathlib import Path

import yaml
from opening_hours import OpeningHours

# Schema fields we keep, as they are named in the national file.
TEXT_FIELDS = (
    "nom",
    "adresse",
    "complement_adresse",
    "code_postal",
    "commune",
    "telephone",
    "prise_rdv",
    "accessibilite",
)
LIST_FIELDS = ("services", "modalites_acces", "modalites_accompagnement")
SEPARATOR = re.compile(r"\s*[|;]\s*")


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:70] or "lieu"


def as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v for v in SEPARATOR.split(str(value).strip()) if v]


def as_float(value) -> float | None:
    try:
        return round(float(str(value).replace(",", ".")), 6)
    except (TypeError, ValueError):
        return None


def valid_opening_hours(value) -> str | None:
    """The `horaires` field when it parses as OSM opening_hours, else None."""
    if not value or not str(value).strip():
        return None
    try:
        OpeningHours(str(value).strip())
    except Exception:  # opening-hours-py raises its own parser errors
        return None
    return str(value).strip()


def read_rows(path: Path) -> list[dict]:
    """Rows of a national CSV (comma or semicolon separated) or JSON file."""
    text = Path(path).read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        data = json.loads(text)
        return data if isinstance(data, list) else data.get("data") or data.get("lieux") or []
    dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;")
    return list(csv.DictReader(text.splitlines(), dialect=dialect))


def to_place(row: dict, used_slugs: set[str]) -> dict:
    """One national row -> one place entry of our file (no permanences yet)."""
    slug = base = slugify(f"{row.get('nom', '')} {row.get('commune', '')}")
    number = 2
    while slug in used_slugs:
        slug, number = f"{base}-{number}", number + 1
    used_slugs.add(slug)
    place = {"slug": slug, "id_national": str(row.get("id") or "") or None}
    for name in TEXT_FIELDS:
        value = row.get(name)
        place[name] = str(value).strip() if value not in (None, "") else None
    address = " ".join(v for v in (place.pop("adresse"), place.pop("complement_adresse")) if v)
    place["adresse"] = address or None
    place["latitude"] = as_float(row.get("latitude"))
    place["longitude"] = as_float(row.get("longitude"))
    horaires = valid_opening_hours(row.get("horaires"))
    place["horaires"] = horaires
    for name in LIST_FIELDS:
        place[name] = as_list(row.get(name))
    place["aliases"] = [a for a in {slugify(place["commune"] or "").replace("-", " "), place["code_postal"]} if a]
    place["a_verifier"] = ["permanences", "aliases"] + ([] if horaires else ["horaires"])
    place["permanences"] = []
    return {k: v for k, v in place.items() if v is not None}


def import_national_file(path: Path, *, commune: str | None = None, code_postal: str | None = None) -> dict:
    """Our places-file structure for the rows of one commune or postcode."""
    wanted_commune = slugify(commune) if commune else None
    rows = [
        row
        for row in read_rows(path)
        if (not wanted_commune or slugify(row.get("commune", "")) == wanted_commune)
        and (not code_postal or str(row.get("code_postal", "")).strip() == code_postal)
    ]
    used: set[str] = set()
    required = ("nom", "adresse", "code_postal", "commune")
    places = [to_place(row, used) for row in rows if all(str(row.get(k) or "").strip() for k in required)]
    return {
        "structure": commune or code_postal or "import",
        "timezone": "Europe/Paris",
        "holidays": {"country": "FR", "subdiv": None},
        "conseillers": [],
        "places": places,
        "closures": [],
    }


def write_places_file(data: dict, out: Path) -> None:
    header = (
        "# Imported from the national file of the schéma des lieux de médiation numérique.\n"
        "# TO CHECK BY THE CITY: each place's `a_verifier` fields; add conseillers and permanences;\n"
        '# set holidays.subdiv ("57", "67", "68" for Alsace-Moselle). Then: python -m bot places load FILE\n'
    )
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
    Path(out).write_text(header + body, encoding="utf-8")


# Public fields of a place that the national file may refresh (never permanences, aliases,
# closures or the checked date: the city owns them).
PUBLIC_SCALAR_FIELDS = (
    "nom",
    "adresse",
    "code_postal",
    "commune",
    "latitude",
    "longitude",
    "telephone",
    "horaires",
    "prise_rdv",
    "accessibilite",
)
PUBLIC_FIELDS = (*PUBLIC_SCALAR_FIELDS, *LIST_FIELDS)


def refresh_places(
    session, path: Path, *, commune: str | None = None, code_postal: str | None = None
) -> dict[str, int]:
    """Update the places of the database that the national file describes; returns counts."""
    from sqlalchemy import select

    from bot.places.models import Place

    places = list(session.execute(select(Place)).scalars())
    by_id = {p.id_national: p for p in places if p.id_national}
    by_name = {(slugify(p.nom), p.code_postal): p for p in places}
    counts = {"refreshed": 0, "unchanged": 0, "not_in_database": 0}
    for entry in import_national_file(path, commune=commune, code_postal=code_postal)["places"]:
        place = by_id.get(entry.get("id_national")) or by_name.get((slugify(entry["nom"]), entry["code_postal"]))
        if place is None:
            counts["not_in_database"] += 1
            continue
        changed = False
        for name in PUBLIC_FIELDS:
            value = entry.get(name)
            if value in (None, []) or getattr(place, name) == value:
                continue  # the national file says nothing (or an invalid schedule): keep ours
            setattr(place, name, value)
            changed = True
        if entry.get("id_national") and place.id_national != entry["id_national"]:
            place.id_national = entry["id_national"]
        counts["refreshed" if changed else "unchanged"] += 1
    session.flush()
    return counts
