"""What the templates need: French labels of code values and date/phone filters."""

from __future__ import annotations

from datetime import datetime

import phonenumbers

from bot.booking.models import AppointmentStatus
from bot.booking.timeutil import local
from bot.desk.coop import AUTONOMIES, MATERIELS, ORIENTATIONS, STATUS_LABELS, THEMATIQUES, TYPES, thematique_label
from bot.desk.ticket_actions import DeskAction
from bot.texts.desk import MAX_FREE_TEXT, TEMPLATE_TITLES
from bot.texts.french import french_datetime, french_day, french_time
from bot.tickets.models import EventKind

APPOINTMENT_STATUS = {
    AppointmentStatus.BOOKED: "Réservé",
    AppointmentStatus.SEEN: "Venu",
    AppointmentStatus.NOSHOW: "Absent",
    AppointmentStatus.EXCUSED: "Annulé par la personne",
    AppointmentStatus.REVOKED: "Annulé par le service",
}
SMS_STATUS = {
    "queued": "En file",
    "sending": "En cours",
    "sent": "Envoyé",
    "delivered": "Reçu",
    "undelivered": "Non remis",
    "failed": "Échec",
    "outbox": "Boîte d'envoi locale",
    "accepted": "Accepté",
}
EVENT_KINDS = {
    EventKind.CREATED: "Ticket créé",
    EventKind.STATUS: "Statut",
    EventKind.OUTCOME: "Bilan enregistré",
    EventKind.SMS: "SMS envoyé",
    EventKind.SMS_REFUSED: "SMS refusé (STOP)",
    EventKind.SMS_FAILURE: "SMS non remis",
    EventKind.MOVED: "Rendez-vous déplacé",
    EventKind.NOTE: "Note",
    EventKind.ATTENDANCE: "Présence",
    EventKind.CANCELLED: "Rendez-vous annulé",
    EventKind.CONVERSATION_TAKEN: "Conversation prise",
    EventKind.CONVERSATION_MESSAGE: "Message écrit",
    EventKind.CONVERSATION_RETURNED: "Conversation rendue à l'assistant",
    EventKind.PRESCRIBED: "Réservé par un partenaire",
}
# The ticket page's status buttons: the desk's actions (bot/desk/ticket_actions.py).
DESK_BUTTONS = {
    DeskAction.CONFIRM: "Confirmer",
    DeskAction.SEEN: "Personne vue",
    DeskAction.ABSENT: "Absent",
    DeskAction.CANCEL: "Annuler le rendez-vous",
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
        "STATUS_LABELS": STATUS_LABELS,
        "AUTONOMIES": AUTONOMIES,
        "MATERIELS": MATERIELS,
        "ORIENTATIONS": ORIENTATIONS,
        "THEMATIQUES": THEMATIQUES,
        "TYPES": TYPES,
        "TEMPLATE_TITLES": TEMPLATE_TITLES,
        "APPOINTMENT_STATUS": APPOINTMENT_STATUS,
        "SMS_STATUS": SMS_STATUS,
        "EVENT_KINDS": EVENT_KINDS,
        "MAX_FREE_TEXT": MAX_FREE_TEXT,
        "DESK_BUTTONS": DESK_BUTTONS,
        "BOOKED": AppointmentStatus.BOOKED,
        "EventKind": EventKind,
    }


def template_filters() -> dict:
    return {
        "phone": phone_display,
        "when": when,
        "short_when": short_when,
        "hour": hour,
        "day": day,
        "thematique": thematique_label,
    }
