"""What a resident is told when a conseiller holds the conversation (bot/conversations/hold.py)."""

from __future__ import annotations

from bot.texts import _samples as sample


def holder_text(name: str) -> str:
    """The conseiller takes the conversation over (`name`: the first name, or "Un conseiller")."""
    return f"{name}, de l'équipe des conseillers numériques, vous répond."


def unnamed_conseiller() -> str:
    """The name the resident is told when the conseiller's is not known."""
    return "Un conseiller"


def resumed_text() -> str:
    """The conseiller hands back (or the hold ended): the assistant answers again."""
    return "L'assistant reprend la conversation."


def away_text(when: str) -> str:
    """A message while every permanence of the place is closed; `when` as french_datetime writes it."""
    return f"Votre message est bien arrivé. Un conseiller vous répondra {when}."


EXAMPLES = {
    "holder": lambda: holder_text(sample.FIRST_NAME),
    "holder[unnamed]": lambda: holder_text(unnamed_conseiller()),
    "resumed": resumed_text,
    "away": lambda: away_text("mercredi 30 septembre à 14 h 30"),
}
