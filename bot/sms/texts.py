"""Every text the SMS channel itself sends (not the assistant's answers).

Short, plain French with vouvoiement. Kept in one module so the segment
benchmark (`python -m bot bench-sms`) can list them with the domain's
responses, and so a city changes them in one place. Names and numbers come
from the settings, never from the code.
"""
from __future__ import annotations

from bot.settings import get_settings


def of_name(name: str) -> str:
    """French "de" before a name, elided before a vowel: "d'Aide numérique", "de Metz"."""
    return f"d'{name}" if name[:1].lower() in "aàâeéèêiîoôuyh" else f"de {name}"


def stop_confirmation() -> str:
    s = get_settings()
    return (f"C'est noté : vous ne recevrez plus de SMS {of_name(s.service_name)}, "
            "ni les rappels de rendez-vous. Pour recommencer, écrivez START.")


def start_confirmation() -> str:
    return "C'est noté : vous recevez à nouveau nos SMS. Posez votre question, ou écrivez RDV."


def aide_text() -> str:
    s = get_settings()
    return (f"{s.service_name}, un service de la {s.city_name}. Pour parler à une personne, "
            f"appelez le {s.city_contact_phone} ou écrivez RDV. Pour ne plus recevoir de SMS, écrivez STOP.")


def service_contact() -> str:
    """Who runs the service and how to reach them (SERVICE_CONTACT, else the city's standard)."""
    s = get_settings()
    return s.service_contact or f"standard de la mairie, {s.city_contact_phone}"


def contact_text() -> str:
    s = get_settings()
    return (f"{s.service_name}, un service de la {s.city_name}. Contact : {service_contact()}. "
            "Pour ne plus recevoir de SMS, écrivez STOP.")


def media_text() -> str:
    return "Je ne peux lire que du texte, pas les images. Écrivez votre question en quelques mots."


def empty_text() -> str:
    return "Votre message est vide. Écrivez votre question en quelques mots, ou RDV pour un rendez-vous."


def emoji_text() -> str:
    return "Merci ! Je ne lis que les mots, pas les émojis. Écrivez votre question en quelques mots."


def too_long_text() -> str:
    return ("J'ai bien reçu votre long message. Je réponds à l'essentiel. "
            "La prochaine fois, une phrase courte suffit. Vous pouvez aussi écrire RDV pour voir un conseiller.")


def french_only_text() -> str:
    s = get_settings()
    return (f"Je réponds seulement en français. Pour de l'aide dans une autre langue, "
            f"appelez la mairie au {s.city_contact_phone}.")


def rate_limited_text() -> str:
    s = get_settings()
    return (f"Vous avez envoyé beaucoup de messages. Je vous répondrai à nouveau dans une heure. "
            f"Si c'est urgent, appelez la mairie au {s.city_contact_phone}.")


def technical_problem_text() -> str:
    s = get_settings()
    return (f"Désolé, un problème technique m'empêche de répondre. Réessayez dans quelques minutes, "
            f"ou appelez la mairie au {s.city_contact_phone}.")


def choose_by_number_text() -> str:
    return "Répondez avec le numéro."


def all_texts() -> dict[str, str]:
    """name -> text, for the segment benchmark."""
    from bot.privacy.notice import notice_text
    from bot.privacy.screening import SECRET_WARNING

    return {
        "sms.stop_confirmation": stop_confirmation(),
        "sms.start_confirmation": start_confirmation(),
        "sms.aide": aide_text(),
        "sms.contact": contact_text(),
        "sms.media": media_text(),
        "sms.empty": empty_text(),
        "sms.emoji": emoji_text(),
        "sms.too_long": too_long_text(),
        "sms.french_only": french_only_text(),
        "sms.rate_limited": rate_limited_text(),
        "sms.technical_problem": technical_problem_text(),
        "privacy.notice": notice_text(),
        "privacy.secret_warning": SECRET_WARNING,
    }
