"""Fixtures of the SMS tests: a fresh database the SMS code uses through the
settings, with Twilio on and its HTTP edge recorded (tests/support/twilio_edge.py)."""

from __future__ import annotations

import pytest

from bot.db import make_engine
from bot.settings import reload_settings
from bot.sms.outbound import set_default_http_client
from tests.conftest import migrated
from tests.support.live_bot import TEST_ACCOUNT_SID, TEST_AUTH_TOKEN
from tests.support.twilio_edge import RecordingHttpClient


@pytest.fixture
def sms_env(tmp_path, monkeypatch):
    """DATABASE_URL on a fresh SQLite schema, Twilio credentials, a recording HttpClient."""
    url = f"sqlite:///{tmp_path / 'sms.db'}"
    migrated(url)
    for key, value in {
        "DATABASE_URL": url,
        "TWILIO_ACCOUNT_SID": TEST_ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": TEST_AUTH_TOKEN,
        "TWILIO_FROM_NUMBER": "+33700000000",
        "TWILIO_MESSAGING_SERVICE_SID": "",
        "TWILIO_HTTP_CLIENT": "",
        "PUBLIC_URL": "https://aide.metz.test",
        "SMS_FOLD_ACCENTS": "true",
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("TWILIO_RECORD_FILE", raising=False)
    reload_settings()
    client = RecordingHttpClient()
    set_default_http_client(client)
    engine = make_engine(url)
    yield engine, client
    engine.dispose()
    set_default_http_client(None)
    monkeypatch.undo()
    reload_settings()
