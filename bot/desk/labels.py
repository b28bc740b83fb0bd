"""What the templates need: French labels of code values and date/phone filters."""
from __future__ import annotations

from datetime import datetime

import phonenumbers

from bot.booking.french import french_datetime, french_day, french_time
from bot.booking.timeutil import local
from bot.classification import THEMATIQUES
from bot.desk.coop import AUTONOMIES, MATERIELS, ORIENTATIONS, STATUS_LABELS, TYPES, thematique_label
from bot.desk.sms_templates import MAX_FREE_TEXT, TEMPLATE_TITLES

APPOINTMENT_STATUS = {"booked": "Réservé", "cancelled": "Annulé", "done": "Venu", "no_show": "Absent"}
SMS_STATUS = {
    "queued": "En file", "sending": "En cours", "sent": "Envoyé", "delivered": "Reçu",
    "undelivered": "Non remis", "failed": "Échec", "outbox": "Boîte d'envoi locale", "accepted": "Accepté",
}
EVENT_KINDS = {
    "created": "Ticket créé", "status": "Statut", "outcome": "Bilan enregistré", "sms": "SMS envoyé",
    "sms_refused": "SMS refusé (STOP)", "sms_failure": "SMS non remis", "moved": "Rendez-vous déplacé",
    "note": "Note", "conversation_taken": "Conversation prise", "conversation_message": "Message écrit",
    "conversation_returned": "Conversation rendue à l'assistant",
}


def phone_display(e164: str | None) -> str:
    if not e164:
        return "—"
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.NATIONAL)
    except phonenumbers.NumberParseException:
        return e164


def when(value: datetime | None, tz: str = "Europe/Paris") -> str:
    return french_datetime(value, tz) if value else "—"


def short_when(value: datetime | None, tz: str = "Europe/Paris") -> str:
    if not value:
        return "—"
    moment = local(value, tz)
    return moment.strftime("%d/%m/%Y %H:%M")


def hour(value: datetime | None, tz: str = "Europe/Paris") -> str:
    return french_time(local(value, tz)) if value else "—"


def day(value, tz: str = "Europe/Paris") -> str:
    if isinstance(value, datetime):
        value = local(value, tz)
    return french_day(value)


def template_globals() -> dict:
    return {
        "STATUS_LABELS": STATUS_LABELS, "AUTONOMIES": AUTONOMIES, "MATERIELS": MATERIELS,
        "ORIENTATIONS": ORIENTATIONS, "THEMATIQUES": THEMATIQUES, "TYPES": TYPES,
        "TEMPLATE_TITLES": TEMPLATE_TITLES, "APPOINTMENT_STATUS": APPOINTMENT_STATUS,
        "SMS_STATUS": SMS_STATUS, "EVENT_KINDS": EVENT_KINDS, "MAX_FREE_TEXT": MAX_FREE_TEXT,
    }


def template_filters() -> dict:
    return {"phone": phone_display, "when": when, "short_when": short_when, "hour": hour, "day": day,
            "thematique": thematique_label}
