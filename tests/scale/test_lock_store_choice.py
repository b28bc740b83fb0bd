"""Which lock store Rasa gets: Redis when REDIS_URL is set, and never in-memory
locks split over several Sanic workers."""
from __future__ import annotations

import pytest
from rasa.core.lock_store import InMemoryLockStore, RedisLockStore

from bot.rasa_stores import redis_or_memory_lock_store
from tests.conftest import REDIS_TEST_URL


def test_one_process_without_redis_gets_in_memory_locks(monkeypatch):
    monkeypatch.delenv("SANIC_WORKERS", raising=False)
    assert isinstance(redis_or_memory_lock_store(""), InMemoryLockStore)


def test_several_sanic_workers_without_redis_are_refused(monkeypatch):
    monkeypatch.setenv("SANIC_WORKERS", "2")
    with pytest.raises(RuntimeError, match="REDIS_URL"):
        redis_or_memory_lock_store("")


@pytest.mark.redis
def test_several_sanic_workers_share_the_redis_lock_store(monkeypatch):
    monkeypatch.setenv("SANIC_WORKERS", "2")
    store = redis_or_memory_lock_store(REDIS_TEST_URL)
    assert isinstance(store, RedisLockStore)
    store.red.ping()
