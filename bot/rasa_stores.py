"""Rasa's tracker store and lock store, configured from `bot/settings.py`.

`bot/endpoints.yml` names these classes so that one setting, DATABASE_URL,
chooses SQLite or PostgreSQL, and REDIS_URL switches the lock store to Redis
when several Rasa processes serve the same conversations.
"""

from __future__ import annotations

import itertools
import json
import logging
import math
import time
from typing import Any, Callable
from urllib.parse import urlsplit

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, LockError, LockStore, RedisLockStore
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import delete, func, insert, or_, select

from bot.data_rights.erasure import ERASED_VALUE, ERASURE_SLOT
from bot.db import ensure_sqlite_folder
from bot.logging_setup import install_log_redaction
from bot.privacy.events import redact_event
from bot.settings import get_settings

log = logging.getLogger(__name__)


class SettingsTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store on the database named by DATABASE_URL.

    What it writes is redacted (bot/privacy/events.py): the assistant works on
    the message as it came, in memory, but card numbers, IBANs, passwords...
    never reach the database. When the conversation's own erasure action has
    run (the resident confirmed "SUPPRIMER MES DONNEES"), every stored event
    of the conversation is deleted and nothing of it is written again.

    Reading and writing are Rasa 3.6's, on the same table and with the same
    queries, written with SQLAlchemy Core rather than the ORM: profiled under
    load, the ORM's objects and its count of the stored events before each
    write were a fifth of the server's time per turn. A tracker read here
    remembers how many of its events are stored, so that its save needs no count.
    """

    def __init__(self, domain=None, host=None, event_broker=None, **kwargs: Any) -> None:
        # Rasa has configured its logging by now: mask phone numbers and secrets in it.
        settings = get_settings()
        install_log_redaction(settings.hash_key, settings.sms_default_region)
        url = settings.database_url
        ensure_sqlite_folder(url)
        # SQLTrackerStore takes a complete URL through `host`.
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)
        self._events = self.SQLEvent.__table__

    def _session_query(self, sender_id: str, fetch_events_from_all_sessions: bool, *columns):
        """Rasa's `_event_query`: this conversation's events, of its latest session unless told
        otherwise, in the order they were stored."""
        events = self._events
        query = select(*columns).where(events.c.sender_id == sender_id)
        if not fetch_events_from_all_sessions:
            session_start = (
                select(func.max(events.c.timestamp))
                .where(events.c.sender_id == sender_id, events.c.type_name == SessionStarted.type_name)
                .scalar_subquery()
            )
            query = query.where(or_(events.c.timestamp >= session_start, session_start.is_(None)))
        return query

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool):
        with self.session_scope() as session:
            rows = (
                session.execute(
                    self._session_query(sender_id, fetch_events_from_all_sessions, self._events.c.data).order_by(
                        self._events.c.id
                    )
                )
                .scalars()
                .all()
            )
        if not (self.domain and rows):
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, [json.loads(row) for row in rows], self.domain.slots)
        if not fetch_events_from_all_sessions:
            setattr(tracker, STORED_EVENTS, len(rows))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's `SQLTrackerStore.save` (3.6), writing redacted events."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            stored = getattr(tracker, STORED_EVENTS, None)
            if stored is None:  # a tracker not read here: count what the table holds
                stored = session.execute(
                    select(func.count()).select_from(
                        self._session_query(tracker.sender_id, False, self._events.c.id).subquery()
                    )
                ).scalar_one()
            events = list(itertools.islice(tracker.events, stored, len(tracker.events)))
            if any(_is_erasure(event) for event in events):
                session.execute(delete(self._events).where(self._events.c.sender_id == tracker.sender_id))
                session.commit()
                if hasattr(tracker, STORED_EVENTS):
                    delattr(tracker, STORED_EVENTS)  # any later save counts again: nothing is written
                log.info("conversation erased at the resident's request")
                return
            if events:
                session.execute(insert(self._events), [_row(tracker.sender_id, event) for event in events])
                session.commit()
        setattr(tracker, STORED_EVENTS, len(tracker.events))


# Set on a tracker read from (or saved to) the table: how many of its events are stored.
STORED_EVENTS = "_aidenum_stored_events"


def _row(sender_id: str, event) -> dict:
    data = redact_event(event.as_dict())
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": ((data.get("parse_data") or {}).get("intent") or {}).get("name"),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


def _is_erasure(event) -> bool:
    return isinstance(event, SlotSet) and event.key == ERASURE_SLOT and event.value == ERASED_VALUE


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's Redis lock store, with every change of a lock made atomically.

    Rasa 3.6's RedisLockStore reads a conversation's lock, changes it in memory and
    writes it back: two processes taking a ticket at the same moment (a resident's
    messages arriving together on two instances or two Sanic workers) overwrite each
    other, and a lock deleted between "is anyone waiting?" and "delete" drops the
    other process's ticket. Its message then fails with a LockError, or waits for
    the lock to expire. Here each change is one Redis transaction (WATCH, then MULTI/EXEC,
    retried when another process changed the lock meanwhile), and the key expires with
    its last ticket, so that a crashed process leaves nothing behind.
    """

    def _change(self, conversation_id: str, change: Callable[[TicketLock | None], tuple[TicketLock | None, Any]]):
        """Apply `change` (lock or None -> new lock or None to delete, result) atomically."""
        key = self.key_prefix + conversation_id

        def attempt(pipe) -> Any:
            raw = pipe.get(key)
            lock, result = change(TicketLock.from_dict(json.loads(raw)) if raw else None)
            pipe.multi()
            if lock is None or not lock.tickets:
                pipe.delete(key)
            else:
                ttl = max(ticket.expires for ticket in lock.tickets) - time.time()
                pipe.set(key, lock.dumps(), ex=max(1, math.ceil(ttl)))
            return result

        return self.red.transaction(attempt, key, value_from_callable=True)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def take(lock: TicketLock | None):
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, take)
        except Exception as error:  # Rasa's contract: any failure is a LockError
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        def drop_expired(lock: TicketLock | None):
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def drop_ticket(lock: TicketLock | None):
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, drop_ticket)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Finish this ticket; the lock goes with its last ticket, in the same transaction."""
        self.finish_serving(conversation_id, ticket_number)


class SettingsLockStore(LockStore):
    """Redis lock store when REDIS_URL is set, else an in-memory one."""

    def __new__(cls, endpoint_config=None, **kwargs: Any) -> LockStore:  # type: ignore[misc]
        settings = get_settings()
        return redis_or_memory_lock_store(settings.redis_url, settings.sanic_workers)


def redis_or_memory_lock_store(redis_url: str, workers: int = 1) -> LockStore:
    if not redis_url:
        # Rasa's own check only sees a custom lock store class here and would allow
        # several Sanic workers, each with its own in-memory locks: refuse it.
        if workers > 1:
            raise RuntimeError("SANIC_WORKERS > 1 needs the Redis lock store: set REDIS_URL")
        return InMemoryLockStore()
    parts = urlsplit(redis_url)
    db = (parts.path or "/1").lstrip("/") or "1"
    return AtomicRedisLockStore(
        host=parts.hostname or "localhost",
        port=parts.port or 6379,
        db=int(db),
        username=parts.username,
        password=parts.password,
        use_ssl=parts.scheme == "rediss",
        key_prefix="aidenum",
    )
