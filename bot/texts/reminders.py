"""The reminder SMS of an appointment (sent by the reminders job, bot/reminders.py, and from the desk)."""

from __future__ import annotations

from bot.texts import _samples as sample
from bot.texts.french import french_datetime


def reminder_text(place, start_utc) -> str:
    """`place` is a bot.places.models.Place (nom, adresse, timezone)."""
    return (
        f"Rappel : rendez-vous {french_datetime(start_utc, place.timezone)}, "
        f"{place.nom}, {place.adresse}. Pour annuler, répondez ANNULER."
    )


EXAMPLES = {"reminder": lambda: reminder_text(sample.PLACE, sample.START)}
