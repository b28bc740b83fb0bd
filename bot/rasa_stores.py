"""Rasa's tracker store and lock store, configured from `bot/settings.py`.

`bot/endpoints.yml` names these classes so that one setting, DATABASE_URL,
chooses SQLite or PostgreSQL, and REDIS_URL switches the lock store to Redis
when several Rasa processes serve the same conversations.
"""
from __future__ import annotations

import json
import logging
import os
from typing import Any
from urllib.parse import urlsplit

from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from bot.db import ensure_sqlite_folder
from bot.logging_setup import install_log_redaction
from bot.privacy.erasure import ERASED_VALUE, ERASURE_SLOT
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
    """

    def __init__(self, domain=None, host=None, event_broker=None, **kwargs: Any) -> None:
        # Rasa has configured its logging by now: mask phone numbers and secrets in it.
        install_log_redaction()
        url = get_settings().database_url
        ensure_sqlite_folder(url)
        # SQLTrackerStore takes a complete URL through `host`.
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's `SQLTrackerStore.save` (3.6), writing redacted events."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            events = list(self._additional_events(session, tracker))
            if any(_is_erasure(event) for event in events):
                session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == tracker.sender_id).delete(
                    synchronize_session=False
                )
                session.commit()
                log.info("conversation erased at the resident's request")
                return
            for event in events:
                data = redact_event(event.as_dict())
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=((data.get("parse_data") or {}).get("intent") or {}).get("name"),
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()


def _is_erasure(event) -> bool:
    return isinstance(event, SlotSet) and event.key == ERASURE_SLOT and event.value == ERASED_VALUE


class SettingsLockStore(LockStore):
    """Redis lock store when REDIS_URL is set, else an in-memory one."""

    def __new__(cls, endpoint_config=None, **kwargs: Any) -> LockStore:  # type: ignore[misc]
        return redis_or_memory_lock_store(get_settings().redis_url)


def redis_or_memory_lock_store(redis_url: str) -> LockStore:
    if not redis_url:
        # Rasa's own check only sees a custom lock store class here and would allow
        # several Sanic workers, each with its own in-memory locks: refuse it.
        if int(os.environ.get("SANIC_WORKERS") or 1) > 1:
            raise RuntimeError("SANIC_WORKERS > 1 needs the Redis lock store: set REDIS_URL")
        return InMemoryLockStore()
    parts = urlsplit(redis_url)
    db = (parts.path or "/1").lstrip("/") or "1"
    return RedisLockStore(
        host=parts.hostname or "localhost",
        port=parts.port or 6379,
        db=int(db),
        username=parts.username,
        password=parts.password,
        use_ssl=parts.scheme == "rediss",
        key_prefix="aidenum",
    )
