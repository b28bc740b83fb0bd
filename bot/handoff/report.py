"""What a ticket is opened from, and its draft Coop activity report.

`HandoffRequest` is what the conversation hands over (the actions read it from
the tracker's slots); `draft_report` turns the triage and the appointment into
the Coop fields the conseiller will check and record (bot/coop.py): type, type de
lieu, lieu, durée, atelier, thématiques, matériel, autonomie, orientation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from bot.booking.models import Appointment
from bot.booking.offer import known
from bot.coop import StructureDeRedirection, TypeActivite, TypeLieu, estimate_autonomie
from bot.places.models import Permanence, Place
from bot.texts.booking import workshop_title


@dataclass(frozen=True)
class HandoffRequest:
    triage: dict
    thematique: str | None
    route: str | None
    # The Coop structure the route orients to (bot.triage.routing.orientation_of, from the city's
    # ROUTES_FILE at the entry point); None when the route proposes none.
    orientation: StructureDeRedirection | None = field(kw_only=True)
    first_name: str | None = None
    bot_answers: list[str] = field(default_factory=list)
    transcript: str = ""  # redacted


def appointment_fields(permanence: Permanence | None, place: Place | None) -> dict:
    """The report's fields that follow the appointment: its kind, place and length.
    Without an appointment (a call back), the help is given at a distance."""
    workshop = permanence is not None and permanence.kind == "atelier"
    return {
        "type": TypeActivite.COLLECTIF if workshop else TypeActivite.INDIVIDUEL,
        "type_lieu": TypeLieu.LIEU_ACTIVITE if place else TypeLieu.A_DISTANCE,
        "lieu": place.nom if place else None,
        "duree": permanence.slot_minutes if permanence else None,
        "titre_atelier": workshop_title(permanence) if workshop else None,
    }


def report_for_appointment(session: Session, appointment: Appointment) -> dict:
    return appointment_fields(
        session.get(Permanence, appointment.permanence_id), session.get(Place, appointment.place_id)
    )


def draft_report(
    triage: dict,
    thematique: str | None,
    permanence: Permanence | None,
    place: Place | None,
    orientation: StructureDeRedirection | None,
) -> dict:
    """The Coop fields the triage already tells (values of bot/coop.py); the conseiller checks them."""
    return {
        "thematiques": [thematique] if thematique else [],
        "materiel": known(triage.get("materiel")),
        "autonomie": estimate_autonomie(triage.get("has_email"), triage.get("has_login")),
        "orientation": orientation,
        **appointment_fields(permanence, place),
    }
