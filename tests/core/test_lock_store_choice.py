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


@pytest.mark.redis
def test_tickets_taken_at_the_same_moment_by_several_processes_are_all_distinct():
    """Rasa's RedisLockStore reads, changes and writes a lock back: concurrent takers
    overwrite each other's tickets. Each taker here has its own connection, as each
    Rasa process has."""
    import threading

    from bot.rasa_stores import AtomicRedisLockStore

    stores = [redis_or_memory_lock_store(REDIS_TEST_URL, workers=2) for _ in range(6)]
    assert all(isinstance(store, AtomicRedisLockStore) for store in stores)
    stores[0].delete_lock("web:burst")
    numbers: list[int] = []
    start = threading.Barrier(len(stores))

    def take(store) -> None:
        start.wait()
        for _ in range(40):
            numbers.append(store.issue_ticket("web:burst", 30))

    threads = [threading.Thread(target=take, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(numbers) == list(range(240)), "a ticket was lost or given twice"
    lock = stores[0].get_lock("web:burst")
    assert len(lock.tickets) == 240 and lock.now_serving == 0

    for number in range(240):  # served in order; the lock goes with its last ticket
        assert not stores[number % 6].get_lock("web:burst").is_locked(number)
        stores[number % 6].cleanup("web:burst", number)
    assert stores[0].get_lock("web:burst") is None


@pytest.mark.redis
def test_a_lock_expires_with_its_last_ticket():
    store = redis_or_memory_lock_store(REDIS_TEST_URL, workers=2)
    store.delete_lock("web:ttl")
    store.issue_ticket("web:ttl", 3)
    ttl = store.red.ttl(store.key_prefix + "web:ttl")
    assert 1 <= ttl <= 3
    store.issue_ticket("web:ttl", 30)
    assert 25 <= store.red.ttl(store.key_prefix + "web:ttl") <= 30
