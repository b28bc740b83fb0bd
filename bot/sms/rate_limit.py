"""A per-number limit on inbound SMS, against loops (another robot answering
our answers) and abuse, counted in the database so every Rasa process shares it.

The count is the inbound messages recorded for the number in the last hour,
this one included. Past SMS_RATE_LIMIT_PER_HOUR the assistant stops reading
and answering; the first message over the limit gets one short notice, the
next ones nothing, so two robots cannot loop through us.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.sms.models import InboundMessage

WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class RateCheck:
    limited: bool
    notify: bool  # the first message over the limit: say it once


def check_rate(session: Session, from_hash: str, now: datetime | None = None, *, limit: int) -> RateCheck:
    """More than `limit` messages from this sender in the last hour (SMS_RATE_LIMIT_PER_HOUR)?"""
    now = now or datetime.now(timezone.utc)
    count = session.execute(
        select(func.count(InboundMessage.id)).where(
            InboundMessage.from_hash == from_hash,
            InboundMessage.received_at > now - WINDOW,
        )
    ).scalar_one()
    return RateCheck(limited=count > limit, notify=count == limit + 1)
