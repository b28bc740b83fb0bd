"""Which lock store Rasa gets: Redis when REDIS_URL is set, and never in-memory
locks split over several Sanic workers."""
from __future__ import annotations

import pytest
from rasa.core.lock_store import InMemoryLockStore, RedisLockStore

from bot.rasa_stores import SettingsLockStore, redis_or_memory_lock_store
from bot.settings import reload_settings
from tests.conftest import REDIS_TEST_URL


def test_one_process_without_redis_gets_in_memory_locks():
    assert isinstance(redis_or_memory_lock_store("", workers=1), InMemoryLockStore)


def test_several_sanic_workers_without_redis_are_refused(monkeypatch):
    with pytest.raises(RuntimeError, match="REDIS_URL"):
        redis_or_memory_lock_store("", workers=2)
    monkeypatch.setenv("SANIC_WORKERS", "2")
    monkeypatch.delenv("REDIS_URL", raising=False)
    reload_settings()
    try:
        with pytest.raises(RuntimeError, match="REDIS_URL"):
            SettingsLockStore()
    finally:
        monkeypatch.undo()
        reload_settings()


@pytest.mark.redis
def test_several_sanic_workers_share_the_redis_lock_store():
    store = redis_or_memory_lock_store(REDIS_TEST_URL, workers=2)
    assert isinstance(store, RedisLockStore)
    store.red.ping()
