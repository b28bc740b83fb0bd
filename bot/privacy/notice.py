"""The short privacy notice: what is kept, why, for how long, how to delete it.

Said once to every new SMS number (bot/sms), shown when the web widget
opens (bot/web), and spoken on a caller's first call (bot/voice). Two short sentences, GSM-7 only, with the link to the full
notice: what is kept (your messages), why (to answer and prepare the
appointment), for how long (RETENTION_CONVERSATION_DAYS), how to erase it.
"""
from __future__ import annotations

from bot.settings import get_settings

DELETE_KEYWORD = "SUPPRIMER MES DONNEES"


def notice_text() -> str:
    s = get_settings()
    return (
        f"{s.service_name} garde vos messages {s.retention_conversation_days} jours "
        "pour vous répondre et préparer votre rendez-vous. "
        f"Pour tout effacer, écrivez {DELETE_KEYWORD} (détails : {s.privacy_notice_url})."
    )


def spoken_notice_text() -> str:
    """The same notice for the ear, said on a caller's first call (bot/voice): no link read aloud."""
    s = get_settings()
    return (
        f"{s.service_name} garde vos messages {s.retention_conversation_days} jours "
        "pour vous répondre et préparer votre rendez-vous. Cet appel n'est pas enregistré. "
        "Pour tout effacer, dites : supprimer mes données."
    )
