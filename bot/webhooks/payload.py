"""What a webhook says: ids, the kind, times, the place, the thématique, statuses. Nothing else.

Times are ISO 8601 with the offset of the place's zone (Europe/Paris), so a
receiver needs no time zone rule. Names, phone numbers, notes, the triage's
answers and every message text stay out: `ALLOWED_KEYS` is the whole contract
(tests/webhooks/test_payloads.py checks each payload against it).
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime

from bot.booking.timeutil import local

ZONE = "Europe/Paris"
ALLOWED_KEYS = frozenset(
    {
        "event_id",
        "type",
        "occurred_at",
        "appointment_id",
        "previous_appointment_id",
        "permanence_id",
        "start",
        "end",
        "appointment_status",
        "cancelled_by",
        "ticket_id",
        "ticket_status",
        "place_id",
        "place_name",
        "thematique",
    }
)


def _iso(moment: datetime | None, zone: str) -> str | None:
    return None if moment is None else local(moment, zone).isoformat()


def build(
    kind: str,
    *,
    occurred_at: datetime,
    appointment=None,
    previous=None,
    ticket=None,
    place=None,
    cancelled_by: str | None = None,
) -> dict:
    """The payload of one event (the rows as they are in the transaction of the change)."""
    zone = (place.timezone if place is not None else None) or ZONE
    payload = {
        "event_id": str(uuid.uuid4()),
        "type": str(kind),
        "occurred_at": _iso(occurred_at, zone),
        "appointment_id": appointment.id if appointment is not None else None,
        "previous_appointment_id": previous.id if previous is not None else None,
        "permanence_id": appointment.permanence_id if appointment is not None else None,
        "start": _iso(appointment.start, zone) if appointment is not None else None,
        "end": _iso(appointment.end, zone) if appointment is not None else None,
        "appointment_status": str(appointment.status) if appointment is not None else None,
        "cancelled_by": str(cancelled_by) if cancelled_by is not None else None,
        "ticket_id": ticket.id if ticket is not None else None,
        "ticket_status": str(ticket.status) if ticket is not None and ticket.status is not None else None,
        "place_id": place.id if place is not None else None,
        "place_name": place.nom if place is not None else None,
        "thematique": ticket.thematique if ticket is not None else None,
    }
    if not set(payload) <= ALLOWED_KEYS:  # a new key is a decision: add it to ALLOWED_KEYS and the README
        raise ValueError(f"keys outside the contract: {set(payload) - ALLOWED_KEYS}")
    return payload


def body(payload: dict) -> bytes:
    """The exact bytes sent and signed (compact, UTF-8, keys sorted)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
