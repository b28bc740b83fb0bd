"""Texts of "Cette réponse vous aide ?" (bot/review/feedback.py asks it after some answers).

The question goes with two buttons: by SMS they become "1. Oui" / "2. Non" (bot/sms/choices.py),
in the widget quick replies.
"""

from __future__ import annotations

YES_TITLE = "Oui"
NO_TITLE = "Non"


def question() -> str:
    return "Cette réponse vous aide ?"


def thanks() -> str:
    return "Merci ! Écrivez-moi si vous avez une autre question."


EXAMPLES = {
    "question": lambda: question() + "\n1. " + YES_TITLE + "\n2. " + NO_TITLE,
    "thanks": lambda: thanks(),
}
