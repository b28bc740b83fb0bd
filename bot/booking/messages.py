"""The SMS texts of a booking: the offer, the confirmation, the reminder.

Short, plain French; the confirmation says where, when, what to bring and how to cancel.
A workshop (atelier collectif, a permanence of kind "atelier") is offered and
confirmed as one: its title, its length, and that it is in a group.
"""
from __future__ import annotations

import re

from bot.booking.french import french_datetime
from bot.booking.slots import Slot
from bot.coop import Materiel
from bot.places.models import Permanence, Place

WORKSHOP = "atelier"

# What to bring, by thematique; the default covers every other topic.
WHAT_TO_BRING = {
    "papiers_elections_citoyennete": "votre pièce d'identité et vos justificatifs",
    "social_sante": "votre carte Vitale, votre numéro CAF et vos identifiants",
    "argent_impots": "votre numéro fiscal et votre dernier avis d'impôt",
    "etrangers_europe": "votre titre de séjour ou récépissé et votre passeport",
    "transports_mobilite": "votre permis ou votre carte grise et une pièce d'identité",
    "travail_formation": "votre identifiant France Travail et votre CV si vous en avez un",
    "logement": "votre numéro de demande ou d'allocataire et vos justificatifs",
    "famille_scolarite": "le livret de famille et vos identifiants",
    "banque_et_achats_en_ligne": "vos identifiants de banque (ne les donnez à personne)",
    "email": "votre adresse e-mail et son mot de passe si vous l'avez",
}
DEVICES = {
    Materiel.TELEPHONE: "votre téléphone et son chargeur",
    Materiel.TABLETTE: "votre tablette et son chargeur",
    Materiel.ORDINATEUR: "votre ordinateur portable et son chargeur, si vous en avez un",
    Materiel.AUTRE: "votre appareil et son chargeur",
}
DEFAULT_THINGS = "vos identifiants si vous en avez"


def what_to_bring(thematique: str | None, materiel: str | None = None) -> str:
    """One place for what a resident brings: the device, then the topic's papers."""
    things = WHAT_TO_BRING.get(thematique or "", DEFAULT_THINGS)
    device = DEVICES.get(materiel or "")
    return f"{device}, {things}" if device else things


def is_workshop(permanence: Permanence | None) -> bool:
    return permanence is not None and permanence.kind == WORKSHOP


def duration_text(minutes: int) -> str:
    """90 -> "1 h 30", 60 -> "1 h", 45 -> "45 min"."""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def workshop_title(permanence: Permanence) -> str:
    """The workshop's title without its own leading "Atelier :"."""
    return re.sub(r"^\s*atelier\s*(collectif)?\s*:\s*", "", permanence.title or "", flags=re.IGNORECASE).strip()


def workshop_name(permanence: Permanence) -> str:
    """ "Atelier collectif « bien utiliser son smartphone », 1 h 30"."""
    title = workshop_title(permanence)
    named = f"Atelier collectif « {title} »" if title else "Atelier collectif"
    return f"{named}, {duration_text(permanence.slot_minutes)}"


def slot_line(number: int, slot: Slot, place: Place, permanence: Permanence | None = None) -> str:
    line = f"{number}. {french_datetime(slot.start, place.timezone)}, {place.nom}"
    return f"{line}, en groupe" if is_workshop(permanence) else line


def offer_text(lines: list[str], permanence: Permanence | None = None) -> str:
    intro = "Voici les prochains rendez-vous :\n"
    if is_workshop(permanence):
        intro = f"{workshop_name(permanence)}, en groupe. Prochaines séances :\n"
    return (intro + "\n".join(lines)
            + "\nRépondez 1, 2 ou 3. AUTRE : d'autres horaires. RAPPEL : un conseiller vous appelle.")


def confirmation_text(place: Place, start_utc, thematique: str | None, materiel: str | None,
                      permanence: Permanence | None = None) -> str:
    what = "Rendez-vous confirmé"
    if is_workshop(permanence):
        what = f"{workshop_name(permanence)}, en groupe : place réservée"
    return (
        f"{what} : {french_datetime(start_utc, place.timezone)}, "
        f"{place.nom}, {place.adresse}, {place.code_postal} {place.commune}. "
        f"Apportez {what_to_bring(thematique, materiel)}. "
        "Pour annuler, répondez ANNULER."
    )


def reminder_text(place: Place, start_utc) -> str:
    return (
        f"Rappel : rendez-vous {french_datetime(start_utc, place.timezone)}, "
        f"{place.nom}, {place.adresse}. Pour annuler, répondez ANNULER."
    )


def cancellation_text() -> str:
    return "Votre rendez-vous est annulé. Écrivez RDV pour en prendre un autre."
