"""The SMS texts of a booking: the offer, the confirmation, the reminder.

Short, plain French; the confirmation says where, when, what to bring and how to cancel.
"""
from __future__ import annotations

from bot.booking.french import french_datetime
from bot.booking.slots import Slot
from bot.places.models import Place

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
    "telephone": "votre téléphone et son chargeur",
    "tablette": "votre tablette et son chargeur",
    "ordinateur": "votre ordinateur portable et son chargeur, si vous en avez un",
    "autre": "votre appareil et son chargeur",
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


def slot_line(number: int, slot: Slot, place: Place) -> str:
    return f"{number}. {french_datetime(slot.start, place.timezone)}, {place.nom}"


def offer_text(lines: list[str]) -> str:
    return ("Voici les prochains rendez-vous :\n" + "\n".join(lines)
            + "\nRépondez 1, 2 ou 3. AUTRE : d'autres horaires. RAPPEL : un conseiller vous appelle.")


def confirmation_text(place: Place, start_utc, thematique: str | None, materiel: str | None, *,
                      has_login: str | None = None, has_email: str | None = None) -> str:
    things = what_to_bring(thematique, materiel, has_login=has_login, has_email=has_email)
    return (
        f"Rendez-vous confirmé : {french_datetime(start_utc, place.timezone)}, "
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
