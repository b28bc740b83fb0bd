"""The texts of a booking: the offer, the confirmation, the cancellation (the reminder: reminders.py).

Short, plain French; the confirmation says where, when, what to bring and how to cancel.
A workshop (atelier collectif, a permanence of kind "atelier") is offered and
confirmed as one: its title, its length, and that it is in a group.
"""

from __future__ import annotations

import re

from bot.coop import Materiel
from bot.texts import _samples as sample
from bot.texts.french import french_datetime

# `place`, `permanence` and `slot` below are bot.places.models' Place and Permanence and
# bot.booking.slots' Slot: read, never imported (the texts import no area of bot).
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


def what_to_bring(
    thematique: str | None, materiel: str | None = None, *, has_login: str | None = None, has_email: str | None = None
) -> str:
    """One place for what a resident brings: the device, the topic's papers, the account's name
    (not when the person said they have no logins, nor an e-mail address they do not have)."""
    papers, account = WHAT_TO_BRING.get(thematique or "", DEFAULT_THINGS)
    if has_login == NO or (thematique == "email" and has_email == NO):
        account = None
    things = [t for t in (DEVICES.get(materiel or ""), papers, account) if t]
    return ", ".join(things) or DEFAULT_THINGS[0]


def is_workshop(permanence=None) -> bool:
    return permanence is not None and permanence.kind == WORKSHOP


def duration_text(minutes: int) -> str:
    """90 -> "1 h 30", 60 -> "1 h", 45 -> "45 min"."""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def workshop_title(permanence) -> str:
    """The workshop's title without its own leading "Atelier :"."""
    return re.sub(r"^\s*atelier\s*(collectif)?\s*:\s*", "", permanence.title or "", flags=re.IGNORECASE).strip()


def workshop_name(permanence) -> str:
    """ "Atelier collectif « bien utiliser son smartphone », 1 h 30"."""
    title = workshop_title(permanence)
    named = f"Atelier collectif « {title} »" if title else "Atelier collectif"
    return f"{named}, {duration_text(permanence.slot_minutes)}"


def slot_line(number: int, slot, place, permanence=None) -> str:
    line = f"{number}. {french_datetime(slot.start, place.timezone)}, {place.nom}"
    return f"{line}, en groupe" if is_workshop(permanence) else line


def offer_text(lines: list[str], permanence=None) -> str:
    intro = "Voici les prochains rendez-vous :\n"
    if is_workshop(permanence):
        intro = f"{workshop_name(permanence)}, en groupe. Prochaines séances :\n"
    return (
        intro
        + "\n".join(lines)
        + "\nRépondez 1, 2 ou 3. AUTRE : d'autres horaires. RAPPEL : un conseiller vous appelle."
    )


def confirmation_text(
    place,
    start_utc,
    thematique: str | None,
    materiel: str | None,
    permanence=None,
    *,
    has_login: str | None = None,
    has_email: str | None = None,
) -> str:
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


def cancellation_text() -> str:
    return "Votre rendez-vous est annulé. Écrivez RDV pour en prendre un autre."


def already_booked_text(count) -> str:
    return f"Vous avez déjà {count} rendez-vous prévus. Écrivez ANNULER pour en annuler un."


def slot_not_understood_text() -> str:
    return "Je n'ai pas compris. Répondez 1, 2 ou 3, AUTRE ou RAPPEL."


def other_times_text() -> str:
    return "Voici d'autres horaires."


def already_in_workshop_text() -> str:
    return "Vous avez déjà une place à cet atelier. Voici d'autres horaires."


def slot_taken_text() -> str:
    return "Ce créneau vient d'être pris. Voici d'autres horaires."


def also_by_sms_text() -> str:
    return "Vous le recevez aussi par SMS."


def other_times_button() -> str:
    """The offer's button (by SMS, the line AUTRE of offer_text)."""
    return "Autres horaires"


def callback_button() -> str:
    """The offer's button (by SMS, the line RAPPEL of offer_text)."""
    return "Être rappelé"


def appointments_text(lines: list[str]) -> str:
    """ "c'est quand mon rendez-vous ?": each line is appointment_line()."""
    intro = "Votre rendez-vous :" if len(lines) == 1 else "Vos rendez-vous :"
    return intro + "\n" + "\n".join(lines) + "\nPour annuler, répondez ANNULER."


def appointment_line(place, start_utc) -> str:
    return f"{french_datetime(start_utc, place.timezone)}, {place.nom}, {place.adresse}"


def _offer_lines(permanence=None) -> list[str]:
    names = [
        "Mairie de quartier de La Patrotte",
        "Médiathèque Verlaine (Pontiffroy)",
        "Mairie de quartier de Bellecroix",
    ]
    return [slot_line(i, sample.Slot(), sample.Place(nom=name), permanence) for i, name in enumerate(names, 1)]


EXAMPLES = {
    "offer": lambda: offer_text(_offer_lines()),
    "offer[atelier]": lambda: offer_text(_offer_lines(sample.WORKSHOP), sample.WORKSHOP),
    **{
        f"confirmation[{thematique or 'autre'}]": (
            lambda thematique=thematique: confirmation_text(sample.PLACE, sample.START, thematique, "ordinateur")
        )
        for thematique in [None, *WHAT_TO_BRING]
    },
    "confirmation[atelier]": lambda: confirmation_text(sample.PLACE, sample.START, None, "telephone", sample.WORKSHOP),
    "cancellation": cancellation_text,
    "already_booked": lambda: already_booked_text(3),
    "slot_not_understood": slot_not_understood_text,
    "other_times": other_times_text,
    "already_in_workshop": already_in_workshop_text,
    "slot_taken": slot_taken_text,
    "also_by_sms": also_by_sms_text,
    "other_times_button": other_times_button,
    "callback_button": callback_button,
    "appointments": lambda: appointments_text([appointment_line(sample.PLACE, sample.START)] * 2),
}
