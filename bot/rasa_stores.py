"""Rasa's tracker store and lock store, configured from `bot/settings.py`.

`bot/endpoints.yml` names these classes so that one setting, DATABASE_URL,
chooses SQLite or PostgreSQL, and REDIS_URL switches the lock store to Redis
when several Rasa processes serve the same conversations.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore
from rasa.core.tracker_store import SQLTrackerStore

from bot.db import ensure_sqlite_folder
from bot.settings import get_settings


class SettingsTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store on the database named by DATABASE_URL."""

    def __init__(self, domain=None, host=None, event_broker=None, **kwargs: Any) -> None:
        url = get_settings().database_url
        ensure_sqlite_folder(url)
        # SQLTrackerStore takes a complete URL through `host`.
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)


class SettingsLockStore(LockStore):
    """Redis lock store when REDIS_URL is set, else an in-memory one."""

    def __new__(cls, endpoint_config=None, **kwargs: Any) -> LockStore:  # type: ignore[misc]
        return redis_or_memory_lock_store(get_settings().redis_url)


def redis_or_memory_lock_store(redis_url: str) -> LockStore:
    if not redis_url:
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
