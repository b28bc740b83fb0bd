"""Fixtures of the waitlist tests: a fresh database (SQLite, or real PostgreSQL) reached through
DATABASE_URL, Twilio on with its HTTP edge recorded (tests/support/twilio_edge.py)."""

from __future__ import annotations

import pytest

from bot.settings import reload_settings
from bot.sms.outbound import set_default_http_client
from tests.conftest import fresh_schema
from tests.support.live_bot import TEST_ACCOUNT_SID, TEST_AUTH_TOKEN
from tests.support.twilio_edge import RecordingHttpClient


def _use(url: str, monkeypatch):
    engine = fresh_schema(url)
    for key, value in {
        "DATABASE_URL": url,
        "TWILIO_ACCOUNT_SID": TEST_ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": TEST_AUTH_TOKEN,
        "TWILIO_FROM_NUMBER": "+33700000000",
        "TWILIO_MESSAGING_SERVICE_SID": "",
        "TWILIO_HTTP_CLIENT": "",
        "PUBLIC_URL": "https://aide.metz.test",
        "SMS_FOLD_ACCENTS": "false",
        "REMINDER_QUIET_START": "20:00",
        "REMINDER_QUIET_END": "09:00",
        "BOOKING_MIN_NOTICE_HOURS": "2",
        "BOOKING_HORIZON_DAYS": "28",
        "BOOKING_MAX_FUTURE_APPOINTMENTS": "2",
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("TWILIO_RECORD_FILE", raising=False)
    reload_settings()
    return engine


@pytest.fixture(params=["sqlite", "postgresql"])
def wl_db(request, sqlite_url, monkeypatch):
    url = sqlite_url if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    engine = _use(url, monkeypatch)
    client = RecordingHttpClient()
    set_default_http_client(client)
    yield engine, client
    set_default_http_client(None)
    engine.dispose()
    monkeypatch.undo()
    reload_settings()


@pytest.fixture
def pg_wl_db(postgres_url, monkeypatch):
    engine = _use(postgres_url, monkeypatch)
    client = RecordingHttpClient()
    set_default_http_client(client)
    yield engine, client
    set_default_http_client(None)
    engine.dispose()
    monkeypatch.undo()
    reload_settings()
