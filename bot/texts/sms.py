"""The texts the SMS channel itself sends (bot/sms: keywords, edge cases, troubles).

Names and numbers are arguments: the SMS channel passes the settings' values
(SERVICE_NAME, CITY_NAME, CITY_CONTACT_PHONE, SERVICE_CONTACT).
"""

from __future__ import annotations

from bot.texts import _samples as sample


def of_name(name: str) -> str:
    """French "de" before a name, elided before a vowel: "d'Aide numérique", "de Metz"."""
    return f"d'{name}" if name[:1].lower() in "aàâeéèêiîoôuyh" else f"de {name}"


def stop_confirmation(service_name: str) -> str:
    return (
        f"C'est noté : vous ne recevrez plus de SMS {of_name(service_name)}, "
        "ni les rappels de rendez-vous. Pour recommencer, écrivez START."
    )


def start_confirmation() -> str:
    return "C'est noté : vous recevez à nouveau nos SMS. Posez votre question, ou écrivez RDV."


def aide_text(service_name: str, city_name: str, city_phone: str) -> str:
    return (
        f"{service_name}, un service de la {city_name}. Pour parler à une personne, "
        f"appelez le {city_phone} ou écrivez RDV. Pour ne plus recevoir de SMS, écrivez STOP."
    )


def service_contact(contact: str | None, city_phone: str) -> str:
    """Who runs the service and how to reach them (SERVICE_CONTACT, else the city's standard)."""
    return contact or f"standard de la mairie, {city_phone}"


def contact_text(service_name: str, city_name: str, contact: str | None, city_phone: str) -> str:
    return (
        f"{service_name}, un service de la {city_name}. Contact : {service_contact(contact, city_phone)}. "
        "Pour ne plus recevoir de SMS, écrivez STOP."
    )


def media_text() -> str:
    return "Je ne peux lire que du texte, pas les images. Écrivez votre question en quelques mots."


def empty_text() -> str:
    return "Votre message est vide. Écrivez votre question en quelques mots, ou RDV pour un rendez-vous."


def emoji_text() -> str:
    return "Merci ! Je ne lis que les mots, pas les émojis. Écrivez votre question en quelques mots."


def too_long_text() -> str:
    return (
        "J'ai bien reçu votre long message. Je réponds à l'essentiel. "
        "La prochaine fois, une phrase courte suffit. Vous pouvez aussi écrire RDV pour voir un conseiller."
    )


def french_only_text(city_phone: str) -> str:
    return f"Je réponds seulement en français. Pour de l'aide dans une autre langue, appelez la mairie au {city_phone}."


def rate_limited_text(city_phone: str) -> str:
    return (
        f"Vous avez envoyé beaucoup de messages. Je vous répondrai à nouveau dans une heure. "
        f"Si c'est urgent, appelez la mairie au {city_phone}."
    )


def technical_problem_text(city_phone: str) -> str:
    return (
        f"Désolé, un problème technique m'empêche de répondre. Réessayez dans quelques minutes, "
        f"ou appelez la mairie au {city_phone}."
    )


def choose_by_number_text() -> str:
    return "Répondez avec le numéro."


SERVICE, CITY, PHONE = sample.SERVICE_NAME, sample.CITY_NAME, sample.CITY_PHONE
EXAMPLES = {
    "stop_confirmation": lambda: stop_confirmation(SERVICE),
    "start_confirmation": start_confirmation,
    "aide": lambda: aide_text(SERVICE, CITY, PHONE),
    "contact": lambda: contact_text(SERVICE, CITY, None, PHONE),
    "media": media_text,
    "empty": empty_text,
    "emoji": emoji_text,
    "too_long": too_long_text,
    "french_only": lambda: french_only_text(PHONE),
    "rate_limited": lambda: rate_limited_text(PHONE),
    "technical_problem": lambda: technical_problem_text(PHONE),
    "choose_by_number": choose_by_number_text,
}
