"""Ready-made SMS a conseiller can send a resident from a ticket (short, plain French)."""
from __future__ import annotations

from bot.booking.french import french_datetime
from bot.booking.messages import reminder_text, what_to_bring
from bot.settings import get_settings

MAX_FREE_TEXT = 480  # about three SMS segments

TEMPLATE_TITLES = {
    "rappel": "Rappel du rendez-vous",
    "documents": "Ce qu'il faut apporter",
    "retard": "Le conseiller a du retard",
    "rappeler": "Merci de nous rappeler",
}


def template_text(name: str, *, place=None, start=None, thematique: str | None = None,
                  materiel: str | None = None) -> str | None:
    """The text of a template for this ticket; None when it does not apply (no appointment)."""
    phone = (place.telephone if place is not None and place.telephone else None) or get_settings().city_contact_phone
    if name == "rappeler":
        return f"Bonjour, votre conseiller numérique a besoin de vous parler. Merci de rappeler le {phone}."
    if name == "retard":
        return "Bonjour, votre conseiller numérique aura environ 15 minutes de retard. Merci de votre patience."
    if place is None or start is None:
        return None
    if name == "rappel":
        return reminder_text(place, start)
    if name == "documents":
        return (f"Bonjour, pour votre rendez-vous {french_datetime(start, place.timezone)}, "
                f"apportez {what_to_bring(thematique, materiel)}.")
    return None


def cancellation_by_desk_text(place, start) -> str:
    """A permanence, a closure or an absence cancels a booked appointment."""
    return (f"Votre rendez-vous {french_datetime(start, place.timezone)}, {place.nom}, est annulé : "
            "la permanence n'a pas lieu. Pardon pour la gêne. Écrivez RDV pour en prendre un autre.")
