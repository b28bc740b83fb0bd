"""Every text the phone line says or texts itself (not the assistant's answers).

Short spoken French, vouvoiement, one idea per sentence, the keys to press
with their number. Names and numbers come from the settings. The SMS texts
here are sent to the caller's mobile (never to a landline, never after STOP).
"""
from __future__ import annotations

from bot.settings import get_settings
from bot.voice.spoken import spoken_phone


def sms_number() -> str:
    """The number residents text and that texts them: the short code or TWILIO_FROM_NUMBER."""
    s = get_settings()
    return s.sms_public_number or s.twilio_from_number or s.city_contact_phone


def voice_number() -> str:
    s = get_settings()
    return s.voice_number or s.city_contact_phone


def greeting() -> str:
    s = get_settings()
    return (f"Bonjour, ici {s.service_name}. Posez votre question en quelques mots. "
            "Par exemple : j'ai oublié mon mot de passe. "
            "Pour un rendez-vous, dites rendez-vous. Pour parler à un conseiller, tapez 0.")


def spoken_notice() -> str:
    """The privacy notice, for the ear (bot/privacy/notice.py says it in writing)."""
    from bot.privacy.notice import spoken_notice_text

    return spoken_notice_text()


def no_recording() -> str:
    return "Cet appel n'est pas enregistré."


def resume() -> str:
    return "Reprenons où nous en étions."


def anything_else() -> str:
    return "Avez-vous une autre question ?"


def not_heard() -> str:
    return "Je ne vous entends pas. Je répète."


def silent_goodbye(can_sms: bool) -> str:
    tail = " Je vous envoie par SMS comment obtenir de l'aide." if can_sms else (
        f" Pour de l'aide, rappelez le {spoken_phone(voice_number())}.")
    return "Je ne vous entends toujours pas. Je vais raccrocher." + tail + " Au revoir."


def help_sms() -> str:
    s = get_settings()
    return (f"Vous avez appelé {s.service_name}. Pour de l'aide, écrivez votre question à ce numéro, "
            f"ou RDV pour un rendez-vous. Vous pouvez aussi rappeler le {voice_number()}.")


def too_long_goodbye(can_sms: bool) -> str:
    tail = " Je vous envoie par SMS comment continuer." if can_sms else " Rappelez quand vous voulez."
    return "Notre appel est long. Je dois raccrocher." + tail + " Votre demande est gardée. Au revoir."


def keypad_menu() -> str:
    return ("Je vous comprends mal, excusez-moi. Utilisez le clavier. "
            "Tapez 1 pour poser une question. Tapez 2 pour un rendez-vous. Tapez 3 pour parler à un conseiller.")


def ask_question() -> str:
    return "D'accord. Posez votre question en quelques mots."


def confirm(said: str) -> str:
    return f"Vous avez dit : {said}. Tapez 1 ou dites oui pour confirmer. Tapez 2 ou dites non pour recommencer."


def not_confirmed() -> str:
    return "D'accord, je n'en tiens pas compte."


def link_by_sms() -> str:
    return f"Le SMS vient du {spoken_phone(sms_number())}."


def transferring() -> str:
    return "Je vous passe un conseiller. Ne quittez pas."


def callback_noted(when: str | None, number: str | None) -> str:
    to = f" au {spoken_phone(number)}" if number else ""
    moment = f", {when}" if when else ", dès que possible"
    return f"C'est noté. Un conseiller va vous rappeler{to}{moment}. Au revoir."


def callback_already(when: str | None) -> str:
    moment = f", {when}" if when else ""
    return f"Votre demande de rappel est déjà notée. Un conseiller va vous rappeler{moment}."


def callback_needs_number() -> str:
    return ("Pour vous rappeler, il me faut votre numéro. "
            "Tapez-le sur le clavier, puis la touche dièse. Ou dites-le chiffre par chiffre.")


def callback_bad_number() -> str:
    return "Ce numéro ne semble pas correct."


def dial_failed() -> str:
    return "Personne n'a pu répondre."


def secret_warning() -> str:
    return ("Attention : ne donnez jamais de numéro de carte, de mot de passe ou de code reçu par SMS, "
            "à personne. Je l'ai effacé.")


def technical_problem() -> str:
    return (f"Désolé, un problème technique m'empêche de répondre. "
            f"Rappelez dans quelques minutes, ou appelez la mairie au {spoken_phone(get_settings().city_contact_phone)}.")


def goodbye() -> str:
    return "Au revoir et bonne journée."


def all_texts() -> dict[str, str]:
    """name -> spoken text, for the coverage figure (the SMS one is not spoken)."""
    return {
        "voice.greeting": greeting(), "voice.notice": spoken_notice(), "voice.no_recording": no_recording(),
        "voice.resume": resume(), "voice.anything_else": anything_else(), "voice.not_heard": not_heard(),
        "voice.silent_goodbye": silent_goodbye(True), "voice.silent_goodbye_no_sms": silent_goodbye(False),
        "voice.too_long": too_long_goodbye(True), "voice.keypad_menu": keypad_menu(),
        "voice.ask_question": ask_question(), "voice.confirm": confirm("annuler"),
        "voice.not_confirmed": not_confirmed(), "voice.link_by_sms": link_by_sms(),
        "voice.transferring": transferring(), "voice.callback_noted": callback_noted("mardi à 9 heures", "0612345678"),
        "voice.callback_already": callback_already(None), "voice.callback_needs_number": callback_needs_number(),
        "voice.callback_bad_number": callback_bad_number(), "voice.dial_failed": dial_failed(),
        "voice.secret_warning": secret_warning(), "voice.technical_problem": technical_problem(),
        "voice.goodbye": goodbye(),
    }
