"""The texts the web widget's channel (bot/web/channel.py) and the web page (bot/web/app.py) send themselves.

Not the assistant's answers; the widget's own buttons and labels are in its static files.
"""

from __future__ import annotations

from bot.texts import _samples as sample


def empty_text() -> str:
    return "Votre message est vide. Écrivez votre question, puis appuyez sur Envoyer."


def too_long_text(max_chars: int) -> str:
    return f"Votre message est trop long. Écrivez-le en moins de {max_chars} caractères, s'il vous plaît."


def bad_request_text() -> str:
    return "Je n'ai pas pu lire ce message. Rechargez la page, puis réessayez."


def in_progress_text() -> str:
    return "Votre message est bien arrivé. La réponse arrive, patientez un instant."


def not_found_text() -> str:
    """The web page's 404 (plain text)."""
    return "Cette page n'existe pas."


def trouble_text(city_phone: str) -> str:
    return (
        "Désolé, je ne peux pas répondre pour le moment. Réessayez dans un moment, "
        f"ou appelez la mairie au {city_phone}."
    )


EXAMPLES = {
    "empty": empty_text,
    "too_long": lambda: too_long_text(1000),
    "bad_request": bad_request_text,
    "in_progress": in_progress_text,
    "trouble": lambda: trouble_text(sample.CITY_PHONE),
    "not_found": not_found_text,
}
