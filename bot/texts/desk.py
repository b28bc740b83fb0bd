"""The SMS a conseiller sends a resident from the desk: ready-made templates, and a cancellation.

The desk's ticket page offers the templates (bot/desk/views/tickets.py);
cancelling a permanence, a closure or an absence sends cancellation_by_desk_text
(bot/desk/permanence_admin.py); a partner who cancels a booking they made sends
cancellation_by_prescriber_text (bot/desk/views/prescriptions.py). A conseiller's own text is at most MAX_FREE_TEXT.
"""

from __future__ import annotations

from bot.texts import _samples as sample
from bot.texts.booking import what_to_bring
from bot.texts.french import french_datetime
from bot.texts.reminders import reminder_text

MAX_FREE_TEXT = 480  # about three SMS segments

# The templates' names and their titles on the desk (the conseiller's UI).
TEMPLATE_TITLES = {
    "rappel": "Rappel du rendez-vous",
    "documents": "Ce qu'il faut apporter",
    "retard": "Le conseiller a du retard",
    "rappeler": "Merci de nous rappeler",
}


def template_text(
    name: str, *, city_phone: str, place=None, start=None, thematique: str | None = None, materiel: str | None = None
) -> str | None:
    """The text of a template for this ticket; None when it does not apply (no appointment).
    `city_phone` (CITY_CONTACT_PHONE) is the number to call back when the place has none."""
    phone = (place.telephone if place is not None and place.telephone else None) or city_phone
    if name == "rappeler":
        return f"Bonjour, votre conseiller numérique a besoin de vous parler. Merci de rappeler le {phone}."
    if name == "retard":
        return "Bonjour, votre conseiller numérique aura environ 15 minutes de retard. Merci de votre patience."
    if place is None or start is None:
        return None
    if name == "rappel":
        return reminder_text(place, start)
    if name == "documents":
        return (
            f"Bonjour, pour votre rendez-vous {french_datetime(start, place.timezone)}, "
            f"apportez {what_to_bring(thematique, materiel)}."
        )
    return None


def cancellation_by_desk_text(place, start) -> str:
    """A permanence, a closure or an absence cancels a booked appointment."""
    return (
        f"Votre rendez-vous {french_datetime(start, place.timezone)}, {place.nom}, est annulé : "
        "la permanence n'a pas lieu. Pardon pour la gêne. Écrivez RDV pour en prendre un autre."
    )


def cancellation_by_prescriber_text(place, start, structure: str | None) -> str:
    """The partner (prescripteur) who booked the appointment cancels it."""
    who = f" par {structure}" if structure else ""
    return (
        f"Votre rendez-vous {french_datetime(start, place.timezone)}, {place.nom}, est annulé{who}. "
        "Écrivez RDV pour en prendre un autre."
    )


EXAMPLES = {
    **{
        f"template[{name}]": (
            lambda name=name: template_text(
                name,
                city_phone=sample.CITY_PHONE,
                place=sample.PLACE,
                start=sample.START,
                thematique="papiers_elections_citoyennete",
                materiel="ordinateur",
            )
        )
        for name in TEMPLATE_TITLES
    },
    "cancellation_by_desk": lambda: cancellation_by_desk_text(sample.PLACE, sample.START),
    "cancellation_by_prescriber": lambda: cancellation_by_prescriber_text(sample.PLACE, sample.START, "CCAS de Metz"),
}
