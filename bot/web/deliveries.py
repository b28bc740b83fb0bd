"""Each widget message is answered once, however many times it arrives.

The widget retries a message whose answer it did not get (network cut, timeout,
server busy): the message may have reached the assistant already. It sends a
`message_id` with each message and the same one on every retry. Per
conversation this table keeps one row: the last message's id and, once
answered, its answer. A retry of that message gets the stored answer instead of
a second turn; a retry that comes while the first is still being answered is
told to try again shortly.

One row per conversation is enough because the widget sends one message at a
time, in order: when a new message arrives, the widget has the previous answer,
and the row is taken by the new message. The answer stored may hold personal
data, so the row goes with the conversation's erasure and after a day
(bot/data_rights/retention.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import JSON, Column, DateTime, Integer, String, delete, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.db import Base, session_scope, utcnow

MESSAGE_ID = re.compile(r"\A[0-9A-Za-z_-]{8,64}\Z")
# Retries come within minutes (or when a closed page is opened again); the purge deletes older rows.
KEEP = timedelta(days=1)


class WebDelivery(Base):
    __tablename__ = "web_deliveries"

    id = Column(Integer, primary_key=True)
    sender = Column(String(80), nullable=False, unique=True)  # web:<uuid>
    message_id = Column(String(64), nullable=False)
    answer = Column(JSON, nullable=True)  # the messages returned, once answered
    received_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)


@dataclass(frozen=True)
class Claim:
    """`new`: answer it; otherwise `answer` is the stored one, or None while it is being answered."""

    new: bool
    answer: list | None = None


def claim(sender: str, message_id: str, engine: Engine) -> Claim:
    """Take this message for answering, unless it is the conversation's last one again."""
    for _ in range(3):  # a concurrent first insert for this conversation: look again
        with session_scope(engine) as session:
            taken = session.execute(
                update(WebDelivery)
                .where(WebDelivery.sender == sender, WebDelivery.message_id != message_id)
                .values(message_id=message_id, answer=None, received_at=utcnow())
            ).rowcount
            if taken:
                return Claim(new=True)
            row = session.execute(
                select(WebDelivery.answer).where(WebDelivery.sender == sender, WebDelivery.message_id == message_id)
            ).first()
            if row is not None:
                return Claim(new=False, answer=row.answer)
        try:
            with session_scope(engine) as session:
                session.execute(insert(WebDelivery).values(sender=sender, message_id=message_id, received_at=utcnow()))
            return Claim(new=True)
        except IntegrityError:
            continue
    return Claim(new=False)


def answered(sender: str, message_id: str, answer: list, engine: Engine) -> None:
    """Keep the answer given, for a retry of the same message."""
    with session_scope(engine) as session:
        session.execute(
            update(WebDelivery)
            .where(WebDelivery.sender == sender, WebDelivery.message_id == message_id)
            .values(answer=answer)
        )


def release(sender: str, message_id: str, engine: Engine) -> None:
    """The message could not be answered: a retry may try again."""
    with session_scope(engine) as session:
        session.execute(delete(WebDelivery).where(WebDelivery.sender == sender, WebDelivery.message_id == message_id))
