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

# What to bring, by thematique: papers, then the name of the account the démarche uses.
# Never a password or a code (they stay with the resident: privacy.secret_warning), and no
# account for someone who said they have no logins (has_login "non") or no e-mail address.
WHAT_TO_BRING = {
    "papiers_elections_citoyennete": ("votre pièce d'identité et vos justificatifs", None),
    "social_sante": ("votre carte Vitale et votre numéro CAF", None),
    "argent_impots": ("votre numéro fiscal et votre dernier avis d'impôt", None),
    "etrangers_europe": ("votre titre de séjour ou récépissé et votre passeport", None),
    "transports_mobilite": ("votre permis ou votre carte grise et une pièce d'identité", None),
    "travail_formation": ("votre CV si vous en avez un", "votre identifiant France Travail"),
    "logement": ("votre numéro de demande ou d'allocataire et vos justificatifs", None),
    "famille_scolarite": ("le livret de famille", "le nom de vos comptes en ligne"),
    "banque_et_achats_en_ligne": (None, "votre identifiant de banque"),
    "email": (None, "votre adresse e-mail"),
}
DEVICES = {
    Materiel.TELEPHONE: "votre téléphone et son chargeur",
    Materiel.TABLETTE: "votre tablette et son chargeur",
    Materiel.ORDINATEUR: "votre ordinateur portable et son chargeur, si vous en avez un",
    Materiel.AUTRE: "votre appareil et son chargeur",
}
DEFAULT_THINGS = ("vos courriers utiles", "le nom de vos comptes en ligne")
NO = "non"


def what_to_bring(thematique: str | None, materiel: str | None = None, *, has_login: str | None = None,
                  has_email: str | None = None) -> str:
    """One place for what a resident brings: the device, the topic's papers, the account's name
    (not when the person said they have no logins, nor an e-mail address they do not have)."""
    papers, account = WHAT_TO_BRING.get(thematique or "", DEFAULT_THINGS)
    if has_login == NO or (thematique == "email" and has_email == NO):
        account = None
    things = [t for t in (DEVICES.get(materiel or ""), papers, account) if t]
    return ", ".join(things) or DEFAULT_THINGS[0]


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
                      permanence: Permanence | None = None, *, has_login: str | None = None,
                      has_email: str | None = None) -> str:
    things = what_to_bring(thematique, materiel, has_login=has_login, has_email=has_email)
    what = "Rendez-vous confirmé"
    if is_workshop(permanence):
        what = f"{workshop_name(permanence)}, en groupe : place réservée"
    return (
        f"{what} : {french_datetime(start_utc, place.timezone)}, "
        f"{place.nom}, {place.adresse}, {place.code_postal} {place.commune}. "
        f"Apportez {things}. "
        "Pour annuler, répondez ANNULER."
    )


def reminder_text(place: Place, start_utc) -> str:
    return (
        f"Rappel : rendez-vous {french_datetime(start_utc, place.timezone)}, "
        f"{place.nom}, {place.adresse}. Pour annuler, répondez ANNULER."
    )


def cancellation_text() -> str:
    return "Votre rendez-vous est annulé. Écrivez RDV pour en prendre un autre."
