"""The waitlist's texts to residents (bot/waitlist/): the question, the offer of a freed seat,
and the answers to OUI and NON. `when` is already written the French way ("mardi 8 décembre à 14 h")."""

from __future__ import annotations


def question_text() -> str:
    return "Voulez-vous un SMS si un créneau plus tôt se libère ?"


def no_other_slot_text() -> str:
    return "Je n'ai pas d'autres horaires pour le moment."


def joined_text(until: str) -> str:
    return (
        f"C'est noté. Je vous écris si un créneau plus tôt se libère, jusqu'au {until}. "
        "Répondez STOP pour ne plus recevoir de SMS."
    )


def declined_text() -> str:
    return "D'accord. Écrivez RDV si vous voulez un autre rendez-vous."


def offer_text(when: str, place: str, hours: int) -> str:
    valid = f" Offre valable {hours} h." if hours >= 1 else ""
    return f"Un créneau s'est libéré : {when}, {place}. Répondez OUI pour le prendre.{valid}"


def reminder_text(when: str, place: str) -> str:
    """After the assistant's replies, when a bare OUI or NON answered its question, not the offer."""
    return f"Le créneau du {when}, {place}, est encore libre pour vous. Pour le prendre, écrivez PLACE."


def refused_text() -> str:
    return "D'accord, je ne prends pas ce créneau pour vous. Vous restez sur la liste."


def taken_by_other_text() -> str:
    return "Ce créneau a déjà été pris. Vous restez sur la liste."


def too_many_text(limit: int) -> str:
    return f"Vous avez déjà {limit} rendez-vous prévus. Écrivez ANNULER pour en annuler un. Vous restez sur la liste."


EXAMPLES = {
    "question": question_text,
    "no_other_slot": no_other_slot_text,
    "joined": lambda: joined_text("mardi 15 décembre"),
    "declined": declined_text,
    "offer": lambda: offer_text("mercredi 9 décembre à 14 h 30", "Mairie de quartier de Borny", 2),
    "reminder": lambda: reminder_text("mercredi 9 décembre à 14 h 30", "Mairie de quartier de Borny"),
    "refused": refused_text,
    "taken_by_other": taken_by_other_text,
    "too_many": lambda: too_many_text(2),
}
