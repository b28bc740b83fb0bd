"""The partners' booking form (bot/desk/views/prescriptions.py): reading and checking it.

Pure functions of the submitted fields: the resident's number (French formats: 06…,
07…, +33…, 0033…; a mobile, since the appointment is then managed by SMS), the need
(a Coop thematique and a note, masked like residents' messages: bot/privacy/redaction.py),
the triage answers as the assistant's own questions offer them (bot/triage/questions.py)
and where (a place, or a neighbourhood as a resident would write it). Error messages are
French, one per field, for the form to show next to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.coop import Thematique
from bot.phones import is_mobile, to_e164
from bot.privacy.redaction import redact
from bot.triage.answers import SKIPPED, parse_first_name
from bot.triage.questions import read_choice, triage_questions

MAX_NOTE = 500
MAX_NEIGHBOURHOOD = 80


@dataclass
class PrescriptionForm:
    values: dict  # what was typed, to show again
    errors: dict = field(default_factory=dict)  # field name -> French message
    phone: str | None = None  # E.164
    first_name: str | None = None
    thematique: str | None = None
    note: str = ""  # masked
    note_had_secret: bool = False
    triage: dict = field(default_factory=dict)
    place_id: int | None = None
    neighbourhood: str | None = None


def read_form(form, region: str, place_ids: set[int]) -> PrescriptionForm:
    """Read the fields of the form; `place_ids` are the places that may be chosen."""
    names = ["telephone", "prenom", "thematique", "besoin", "lieu", "quartier", *[q.slot for q in triage_questions()]]
    values = {name: (form.get(name) or "").strip() for name in names}
    result = PrescriptionForm(values=values)
    errors = result.errors

    raw_phone = values["telephone"]
    phone = to_e164(raw_phone, region) if raw_phone else None
    if not raw_phone:
        errors["telephone"] = "Indiquez le numéro de portable de la personne."
    elif phone is None:
        errors["telephone"] = "Ce numéro n'est pas valide. Exemple : 06 12 34 56 78 ou +33 6 12 34 56 78."
    elif not is_mobile(phone):
        errors["telephone"] = (
            "Ce numéro est un fixe : il ne reçoit pas de SMS. Indiquez un portable "
            "(06 ou 07) : la personne y reçoit la confirmation et peut annuler par SMS."
        )
    result.phone = phone if "telephone" not in errors else None

    if values["prenom"]:
        first_name = parse_first_name(values["prenom"])
        if first_name in (None, SKIPPED):
            errors["prenom"] = "Écrivez seulement le prénom (lettres, 40 caractères au plus)."
        result.first_name = first_name if first_name != SKIPPED else None

    if values["thematique"] not in Thematique.values():
        errors["thematique"] = "Choisissez le besoin de la personne."
    else:
        result.thematique = values["thematique"]

    note = values["besoin"]
    if len(note) > MAX_NOTE:
        errors["besoin"] = f"La note est trop longue ({len(note)} caractères, {MAX_NOTE} au plus)."
    result.note = redact(note)[:MAX_NOTE]
    result.note_had_secret = result.note != note[:MAX_NOTE] and bool(note)

    for question in triage_questions():
        payload = values[question.slot]
        value = read_choice(question.slot, payload) if payload else SKIPPED
        if value is None:
            errors[question.slot] = "Choisissez une des réponses proposées."
        result.triage[question.slot] = value or SKIPPED

    if values["lieu"]:
        if not values["lieu"].isdigit() or int(values["lieu"]) not in place_ids:
            errors["lieu"] = "Choisissez un lieu de la liste."
        else:
            result.place_id = int(values["lieu"])
    neighbourhood = values["quartier"][:MAX_NEIGHBOURHOOD]
    result.neighbourhood = neighbourhood or None

    result.triage.update(
        {"thematique": result.thematique, "besoin": result.note, "neighbourhood": result.neighbourhood or SKIPPED}
    )
    return result
