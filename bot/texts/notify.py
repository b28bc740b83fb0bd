"""The short notifications sent to conseillers by SMS (or as the first line of an e-mail).

Not residents' texts, but SMS all the same: the segment bench counts them. No "n°"
before a number: "°" is not GSM-7, and one "°" made the whole SMS UCS-2 (2 or 3 segments).
bot/desk/notify.py (a new ticket) and bot/conversations/hold.py (a message in a
held conversation) send them.
"""

from __future__ import annotations

from bot.texts import _samples as sample


def new_ticket_text(ticket_id: int, place_name: str | None, when: str | None, subject: str) -> str:
    """`when` as french_datetime writes it; None for a ticket without an appointment (a call back)."""
    return f"Nouveau ticket {ticket_id} : {place_name or 'sans lieu'}, {when or 'à rappeler'}. Sujet : {subject}."


def held_message_text(hold_id: int) -> str:
    return f"Nouveau message dans la conversation {hold_id} que vous suivez."


EXAMPLES = {
    "new_ticket": lambda: new_ticket_text(
        1234,
        sample.PLACE.nom,
        "mercredi 30 septembre à 14 h 30",
        "Démarches en ligne : papiers, élections, citoyenneté",
    ),
    "new_ticket[rappel]": lambda: new_ticket_text(1234, None, None, "E-mail"),
    "held_message": lambda: held_message_text(1234),
}
