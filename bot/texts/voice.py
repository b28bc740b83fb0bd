"""Every text the phone line says or texts itself (not the assistant's answers).

Short spoken French, vouvoiement, one idea per sentence, the keys to press
with their number. Names and numbers are arguments (bot/voice/channel.py passes
the settings' values); a number said aloud comes as said (bot.voice.spoken.spoken_phone):
"zéro trois, quatre-vingt-sept...". help_sms is the one SMS, sent to the caller's
mobile (never to a landline, never after STOP); the others are SPOKEN.
"""

from __future__ import annotations

from bot.texts import _samples as sample


def greeting(service_name: str) -> str:
    return (
        f"Bonjour, ici {service_name}. Posez votre question en quelques mots. "
        "Par exemple : j'ai oublié mon mot de passe. "
        "Pour un rendez-vous, dites rendez-vous. Pour parler à un conseiller, tapez 0."
    )


def no_recording() -> str:
    return "Cet appel n'est pas enregistré."


def resume() -> str:
    return "Reprenons où nous en étions."


def anything_else() -> str:
    return "Avez-vous une autre question ?"


def not_heard() -> str:
    return "Je ne vous entends pas. Je répète."


def silent_goodbye(can_sms: bool, voice_number_said: str) -> str:
    tail = (
        " Je vous envoie par SMS comment obtenir de l'aide."
        if can_sms
        else (f" Pour de l'aide, rappelez le {voice_number_said}.")
    )
    return "Je ne vous entends toujours pas. Je vais raccrocher." + tail + " Au revoir."


def help_sms(service_name: str, voice_number: str) -> str:
    """The SMS after a call cut short (silence, too long): `voice_number` as written."""
    return (
        f"Vous avez appelé {service_name}. Pour de l'aide, écrivez votre question à ce numéro, "
        f"ou RDV pour un rendez-vous. Vous pouvez aussi rappeler le {voice_number}."
    )


def too_long_goodbye(can_sms: bool) -> str:
    tail = " Je vous envoie par SMS comment continuer." if can_sms else " Rappelez quand vous voulez."
    return "Notre appel est long. Je dois raccrocher." + tail + " Votre demande est gardée. Au revoir."


def keypad_menu() -> str:
    return (
        "Je vous comprends mal, excusez-moi. Utilisez le clavier. "
        "Tapez 1 pour poser une question. Tapez 2 pour un rendez-vous. Tapez 3 pour parler à un conseiller."
    )


def ask_question() -> str:
    return "D'accord. Posez votre question en quelques mots."


def confirm(said: str) -> str:
    return f"Vous avez dit : {said}. Tapez 1 ou dites oui pour confirmer. Tapez 2 ou dites non pour recommencer."


def not_confirmed() -> str:
    return "D'accord, je n'en tiens pas compte."


def link_by_sms(sms_number_said: str) -> str:
    return f"Le SMS vient du {sms_number_said}."


def transferring() -> str:
    return "Je vous passe un conseiller. Ne quittez pas."


def callback_noted(when: str | None, number_said: str | None) -> str:
    to = f" au {number_said}" if number_said else ""
    moment = f", {when}" if when else ", dès que possible"
    return f"C'est noté. Un conseiller va vous rappeler{to}{moment}. Au revoir."


def callback_today() -> str:
    """When a conseiller calls back (callback_noted, callback_already): a permanence is open now."""
    return "aujourd'hui, pendant la permanence"


def callback_from(when: str) -> str:
    """When a conseiller calls back: from the next opening (`when` as french_datetime writes it)."""
    return f"à partir de {when}"


def callback_already(when: str | None) -> str:
    moment = f", {when}" if when else ""
    return f"Votre demande de rappel est déjà notée. Un conseiller va vous rappeler{moment}."


def callback_needs_number() -> str:
    return (
        "Pour vous rappeler, il me faut votre numéro. "
        "Tapez-le sur le clavier, puis la touche dièse. Ou dites-le chiffre par chiffre."
    )


def callback_bad_number() -> str:
    return "Ce numéro ne semble pas correct."


def dial_failed() -> str:
    return "Personne n'a pu répondre."


def secret_warning() -> str:
    return (
        "Attention : ne donnez jamais de numéro de carte, de mot de passe ou de code reçu par SMS, "
        "à personne. Je l'ai effacé."
    )


def technical_problem(city_phone_said: str) -> str:
    return (
        f"Désolé, un problème technique m'empêche de répondre. "
        f"Rappelez dans quelques minutes, ou appelez la mairie au {city_phone_said}."
    )


def goodbye() -> str:
    return "Au revoir et bonne journée."


SAID = sample.CITY_PHONE_SAID
EXAMPLES = {
    "greeting": lambda: greeting(sample.SERVICE_NAME),
    "no_recording": no_recording,
    "resume": resume,
    "anything_else": anything_else,
    "not_heard": not_heard,
    "silent_goodbye": lambda: silent_goodbye(True, SAID),
    "silent_goodbye_no_sms": lambda: silent_goodbye(False, SAID),
    "help_sms": lambda: help_sms(sample.SERVICE_NAME, sample.CITY_PHONE),
    "too_long": lambda: too_long_goodbye(True),
    "keypad_menu": keypad_menu,
    "ask_question": ask_question,
    "confirm": lambda: confirm("annuler"),
    "not_confirmed": not_confirmed,
    "link_by_sms": lambda: link_by_sms(SAID),
    "transferring": transferring,
    "callback_noted": lambda: callback_noted("mardi à 9 heures", sample.MOBILE_SAID),
    "callback_already": lambda: callback_already(None),
    "callback_noted[today]": lambda: callback_noted(callback_today(), None),
    "callback_already[from]": lambda: callback_already(callback_from("mercredi 30 septembre à 14 h 30")),
    "callback_needs_number": callback_needs_number,
    "callback_bad_number": callback_bad_number,
    "dial_failed": dial_failed,
    "secret_warning": secret_warning,
    "technical_problem": lambda: technical_problem(SAID),
    "goodbye": goodbye,
}
# Said on the phone line, never sent by SMS (the SMS rules do not apply; bot/voice/coverage.py checks them).
SPOKEN = {name for name in EXAMPLES if name != "help_sms"}
