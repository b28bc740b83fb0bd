"""Rasa's stored conversations (the `events` table of its SQL tracker store), seen
from the privacy side: what one conversation holds, what to forget.

The table belongs to Rasa (`rasa.core.tracker_store.SQLTrackerStore`, created
by the Rasa server on start, in the same database as our tables); it is
reached here with plain SQL so that the action server, the CLI and the desk
need no Rasa import. Every function is harmless when the table does not exist
yet (no conversation ever stored).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.orm import Session

EVENTS = sa.table(
    "events",
    sa.column("id", sa.Integer),
    sa.column("sender_id", sa.String),
    sa.column("type_name", sa.String),
    sa.column("timestamp", sa.Float),
    sa.column("data", sa.Text),
)


def events_table_exists(session: Session) -> bool:
    return sa.inspect(session.connection()).has_table("events")


def delete_conversations(session: Session, sender_ids: list[str]) -> int:
    """Delete every stored event of these conversations; the number of events deleted."""
    if not sender_ids or not events_table_exists(session):
        return 0
    deleted = 0
    for start in range(0, len(sender_ids), 500):
        chunk = list(sender_ids[start : start + 500])
        deleted += session.execute(sa.delete(EVENTS).where(EVENTS.c.sender_id.in_(chunk))).rowcount or 0
    return deleted


def conversations_idle_since(session: Session, cutoff: datetime) -> list[str]:
    """Conversations whose last event is older than `cutoff`."""
    if not events_table_exists(session):
        return []
    last = sa.func.max(EVENTS.c.timestamp)
    rows = session.execute(sa.select(EVENTS.c.sender_id).group_by(EVENTS.c.sender_id).having(last < cutoff.timestamp()))
    return [sender_id for (sender_id,) in rows]


def conversation_messages(session: Session, sender_id: str) -> list[dict]:
    """What the person and the assistant said in one conversation, oldest first."""
    if not events_table_exists(session):
        return []
    rows = session.execute(
        sa.select(EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data)
        .where(EVENTS.c.sender_id == sender_id, EVENTS.c.type_name.in_(("user", "bot")))
        .order_by(EVENTS.c.id)
    )
    messages = []
    for type_name, timestamp, data in rows:
        event = json.loads(data or "{}")
        messages.append(
            {
                "at": datetime.fromtimestamp(timestamp or 0, timezone.utc).isoformat(),
                "from": "resident" if type_name == "user" else "assistant",
                "text": event.get("text"),
            }
        )
    return messages


def count_events(session: Session, sender_ids: list[str] | None = None) -> int:
    if not events_table_exists(session):
        return 0
    query = sa.select(sa.func.count()).select_from(EVENTS)
    if sender_ids is not None:
        query = query.where(EVENTS.c.sender_id.in_(list(sender_ids) or [""]))
    return session.execute(query).scalar_one()
