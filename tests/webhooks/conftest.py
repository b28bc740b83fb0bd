"""Fixtures of the webhook tests: a fresh database with Metz's places (the desk's fixtures),
a live local receiver, and the app key the secrets derive from."""

from __future__ import annotations

import pytest

from tests.desk.conftest import app, desk_engine, desk_env  # noqa: F401  (fixtures)
from tests.webhooks.receiver import start_receiver

KEY = "une-cle-de-test-assez-longue-pour-signer-0123456789"


@pytest.fixture
def receiver():
    found, server = start_receiver()
    yield found
    found.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def hash_key(monkeypatch):
    monkeypatch.setenv("HASH_KEY", KEY)
    return KEY
