"""Delivery statuses from Twilio's status callback, and what a failure means.

Twilio calls back as a message moves on (queued, sent, delivered, or
undelivered/failed). Callbacks may arrive out of order, so a final status is
never replaced by an earlier one. When an SMS tied to a ticket (a reminder,
a confirmation, a conseiller's message) does not arrive, the ticket is
flagged so the conseiller can call the person instead.
"""

from __future__ import annotations

import logging
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.sms.models import OutboundMessage

log = logging.getLogger(__name__)

FAILED = frozenset({"failed", "undelivered"})
FINAL = FAILED | {"delivered", "read", "canceled"}
KNOWN = FINAL | {"accepted", "scheduled", "queued", "sending", "sent", "receiving", "received"}
# SMS whose failure a conseiller must see on the ticket.
FLAGGED_PURPOSES = frozenset({"reminder", "confirmation", "desk"})


def apply_status(
    session: Session,
    message_sid: str,
    status: str,
    error_code: str | None = None,
    on_failure: Callable[[Session, int, dict], object] | None = None,
) -> OutboundMessage | None:
    """Record a callback's status; None when the message is not ours (or unknown). A flagged SMS that
    failed is passed to `on_failure(session, ticket_id, details)` (the channel gives the handoff core's
    flag_sms_failure: bot/sms stays below bot/handoff)."""
    status = (status or "").strip().lower()
    if not message_sid or status not in KNOWN:
        return None
    message = session.execute(
        select(OutboundMessage).where(OutboundMessage.twilio_sid == message_sid)
    ).scalar_one_or_none()
    if message is None:
        log.info("status %s for an unknown message", status)
        return None
    previous = message.status
    if previous in FINAL and status not in FINAL:
        return message  # a late "sent" after "delivered"
    if previous == "read" and status == "delivered":
        return message
    message.status = status
    if error_code:
        message.error_code = str(error_code)[:20]
    if (
        on_failure is not None
        and status in FAILED
        and previous not in FAILED
        and message.ticket_id
        and message.purpose in FLAGGED_PURPOSES
    ):
        on_failure(
            session,
            message.ticket_id,
            {
                "purpose": message.purpose,
                "status": status,
                "error_code": message.error_code,
                "outbound_message_id": message.id,
            },
        )
    session.flush()
    return message
