"""What a ticket is opened from, and its draft Coop activity report.

`HandoffRequest` is what the conversation hands over (the actions read it from
the tracker's slots); `draft_report` turns the triage and the appointment into
the Coop fields the conseiller will check and record (bot/coop.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from bot.booking.models import Appointment
from bot.booking.offer import known
from bot.places.models import Permanence, Place
from bot.triage.routing import estimate_autonomie


@dataclass(frozen=True)
class HandoffRequest:
    triage: dict
    thematique: str | None
    route: str | None
    first_name: str | None = None
    bot_answers: list[str] = field(default_factory=list)
    transcript: str = ""  # redacted


def appointment_fields(permanence: Permanence | None, place: Place | None) -> dict:
    """The report's fields that follow the appointment: its kind, place and length."""
    return {
        "type": "collectif" if permanence is not None and permanence.kind == "atelier" else "individuel",
        "lieu": place.nom if place else None,
        "duree": permanence.slot_minutes if permanence else None,
    }


def report_for_appointment(session: Session, appointment: Appointment) -> dict:
    return appointment_fields(session.get(Permanence, appointment.permanence_id),
                              session.get(Place, appointment.place_id))


def draft_report(triage: dict, thematique: str | None, permanence: Permanence | None, place: Place | None) -> dict:
    return {
        "thematiques": [thematique] if thematique else [],
        "materiel": known(triage.get("materiel")),
        "autonomie": estimate_autonomie(triage.get("has_email"), triage.get("has_login")),
        **appointment_fields(permanence, place),
    }
