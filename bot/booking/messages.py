"""The SMS texts of a booking: the offer, the confirmation, the reminder.

Short, plain French; the confirmation says where, when, what to bring and how to cancel.
"""
from __future__ import annotations

from bot.booking.french import french_datetime
from bot.booking.slots import Slot
from bot.places.models import Place

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
    "telephone": "votre téléphone et son chargeur",
    "tablette": "votre tablette et son chargeur",
    "ordinateur": "votre ordinateur portable et son chargeur, si vous en avez un",
    "autre": "votre appareil et son chargeur",
}
DEFAULT_THINGS = "vos identifiants si vous en avez"


def what_to_bring(thematique: str | None, materiel: str | None = None) -> str:
    """One place for what a resident brings: the device, then the topic's papers."""
    things = WHAT_TO_BRING.get(thematique or "", DEFAULT_THINGS)
    device = DEVICES.get(materiel or "")
    return f"{device}, {things}" if device else things


def slot_line(number: int, slot: Slot, place: Place) -> str:
    return f"{number}. {french_datetime(slot.start, place.timezone)}, {place.nom}"


def offer_text(lines: list[str]) -> str:
    return ("Voici les prochains rendez-vous :\n" + "\n".join(lines)
            + "\nRépondez 1, 2 ou 3. AUTRE : d'autres horaires. RAPPEL : un conseiller vous appelle.")


def confirmation_text(place: Place, start_utc, thematique: str | None, materiel: str | None) -> str:
    return (
        f"Rendez-vous confirmé : {french_datetime(start_utc, place.timezone)}, "
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
