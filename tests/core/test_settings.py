"""Settings: one module, defaults that work with no credentials, env wins."""

from __future__ import annotations

import os

from bot.settings import DEFAULTS, ROOT, Settings, export_for_rasa, reload_settings


def test_every_setting_is_documented_in_env_example():
    documented = {
        line.split("=", 1)[0].lstrip("# ").strip()
        for line in (ROOT / ".env.example").read_text().splitlines()
        if "=" in line
    }
    missing = sorted(set(DEFAULTS) - documented)
    assert not missing, f"settings missing from .env.example: {missing}"


def test_defaults_need_no_credentials(monkeypatch):
    for key in ("DATABASE_URL", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "REDIS_URL"):
        monkeypatch.delenv(key, raising=False)
    settings = reload_settings()
    try:
        assert settings.database_url.startswith("sqlite:///")
        assert not settings.twilio_enabled
        assert settings.redis_url == ""
    finally:
        monkeypatch.undo()
        reload_settings()


def test_the_environment_overrides_and_types_are_converted(monkeypatch):
    monkeypatch.setenv("RASA_PORT", "6006")
    monkeypatch.setenv("SMS_FOLD_ACCENTS", "non")
    settings = reload_settings()
    try:
        assert isinstance(settings, Settings)
        assert settings.rasa_port == 6006
        assert settings.sms_fold_accents is False
    finally:
        monkeypatch.undo()
        reload_settings()


def test_rasa_gets_every_setting_and_no_telemetry(monkeypatch):
    monkeypatch.delenv("ACTION_ENDPOINT_URL", raising=False)
    export_for_rasa()
    assert os.environ["ACTION_ENDPOINT_URL"] == DEFAULTS["ACTION_ENDPOINT_URL"]
    assert os.environ["RASA_TELEMETRY_ENABLED"] == "false"
