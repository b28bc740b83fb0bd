"""The privacy texts: the short notice and the warning after a masked secret.

The notice is said once to every new SMS number (bot/sms), shown when the web
widget opens (bot/web), and spoken on a caller's first call (bot/voice). Two
short sentences, GSM-7 only, with the link to the full notice: what is kept
(your messages), why (to answer and prepare the appointment), for how long
(RETENTION_CONVERSATION_DAYS), how to erase it. The secret warning follows a
message in which bot/privacy/screening.py masked a card number, a password or a code.
"""

from __future__ import annotations

from bot.texts import _samples as sample

DELETE_KEYWORD = "SUPPRIMER MES DONNEES"


def notice_text(service_name: str, retention_days: int, notice_url: str) -> str:
    return (
        f"{service_name} garde vos messages {retention_days} jours "
        "pour vous répondre et préparer votre rendez-vous. "
        f"Pour tout effacer, écrivez {DELETE_KEYWORD} (détails : {notice_url})."
    )


def spoken_notice_text(service_name: str, retention_days: int) -> str:
    """The same notice for the ear, said on a caller's first call (bot/voice): no link read aloud."""
    return (
        f"{service_name} garde vos messages {retention_days} jours "
        "pour vous répondre et préparer votre rendez-vous. Cet appel n'est pas enregistré. "
        "Pour tout effacer, dites : supprimer mes données."
    )


def secret_warning() -> str:
    return (
        "Attention : n'envoyez jamais de numéro de carte, de mot de passe ou de code reçu par SMS, "
        "à personne. Je l'ai effacé de notre conversation."
    )


EXAMPLES = {
    "notice": lambda: notice_text(sample.SERVICE_NAME, sample.RETENTION_DAYS, sample.PRIVACY_URL),
    "spoken_notice": lambda: spoken_notice_text(sample.SERVICE_NAME, sample.RETENTION_DAYS),
    "secret_warning": secret_warning,
}
SPOKEN = {"spoken_notice"}  # said on the phone line (bot/voice), never sent by SMS
