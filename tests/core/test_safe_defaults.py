"""Safe by default: no process starts in production with a default secret, no SMS signing
token comes from a default key, and `make run`'s local secrets are written once."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot.cli.local_secrets import main as local_secrets
from bot.settings import DEFAULTS, GENERATE, ROOT, SECRETS, reload_settings, unsafe_settings
from bot.sms.signature import auth_token, is_signed, parse_form
from tests.support.live_bot import TEST_SECRETS

STRONG = {name: value for name, value in TEST_SECRETS.items()}


def settings_with(monkeypatch, **values):
    for name in ("APP_ENV", "PUBLIC_URL", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", *SECRETS):
        monkeypatch.setenv(name, values.get(name, STRONG.get(name, DEFAULTS[name])))
    return reload_settings()


@pytest.fixture(autouse=True)
def _fresh_settings():
    yield
    reload_settings()


def test_production_is_stated_or_inferred_from_an_https_public_url(monkeypatch):
    assert not settings_with(monkeypatch).production
    assert settings_with(monkeypatch, APP_ENV="production").production
    assert settings_with(monkeypatch, PUBLIC_URL="https://aide.metz.fr").production
    assert settings_with(monkeypatch, APP_ENV="development", PUBLIC_URL="https://aide.metz.fr").production


def test_production_names_every_weak_secret_and_a_twilio_sid_without_its_token(monkeypatch):
    assert unsafe_settings(settings_with(monkeypatch, APP_ENV="production")) == []
    problems = unsafe_settings(
        settings_with(
            monkeypatch,
            APP_ENV="production",
            HASH_KEY=DEFAULTS["HASH_KEY"],
            DESK_SECRET_KEY="short",
            ACTION_SERVER_TOKEN="",
            TWILIO_ACCOUNT_SID="AC" + "1" * 32,
            TWILIO_AUTH_TOKEN="",
        )
    )
    assert [p.split()[0] for p in problems] == [
        "HASH_KEY",
        "DESK_SECRET_KEY",
        "ACTION_SERVER_TOKEN",
        "TWILIO_ACCOUNT_SID",
    ]
    assert "default" in problems[0] and "shorter than 32" in problems[1] and "empty" in problems[2]
    assert all(GENERATE in p for p in problems[:3])
    # The model server's token too: the model it hands out was trained on reviewed messages.
    no_token = unsafe_settings(settings_with(monkeypatch, APP_ENV="production", MODEL_SERVER_TOKEN=""))
    assert [p.split()[0] for p in no_token] == ["MODEL_SERVER_TOKEN"] and "empty" in no_token[0]
    # The placeholder of the Kubernetes secrets example is a default too.
    assert unsafe_settings(settings_with(monkeypatch, APP_ENV="production", HASH_KEY="CHANGE-ME-long-random" * 2))
    # Outside production the defaults are fine (a developer's machine, the unit tests).
    assert unsafe_settings(settings_with(monkeypatch, HASH_KEY=DEFAULTS["HASH_KEY"], ACTION_SERVER_TOKEN="")) == []


ENTRY_POINTS = [
    ["serve", "rasa"],
    ["serve", "actions"],
    ["serve", "desk"],
    ["serve", "web"],
    ["reminders"],
    ["notify"],
    ["purge"],
    ["retrain", "--worker"],
]


@pytest.mark.parametrize("command", ENTRY_POINTS, ids=[" ".join(c) for c in ENTRY_POINTS])
@pytest.mark.processes
def test_every_process_refuses_to_start_in_production_with_the_default_keys(command, tmp_path):
    env = {
        **os.environ,
        "PUBLIC_URL": "https://aide.metz.test",
        "APP_ENV": "",
        "HASH_KEY": DEFAULTS["HASH_KEY"],
        "DESK_SECRET_KEY": DEFAULTS["DESK_SECRET_KEY"],
        "DATABASE_URL": f"sqlite:///{tmp_path / 'never.db'}",
        "RASA_TELEMETRY_ENABLED": "false",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1, (result.stdout[-500:], result.stderr[-2000:])
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr  # one clear line, no traceback
    assert lines[0].startswith("Refusing to start in production")
    assert "HASH_KEY is a default value" in lines[0] and "DESK_SECRET_KEY is a default value" in lines[0]
    assert "secrets.token_urlsafe(32)" in lines[0]
    assert not (tmp_path / "never.db").exists()  # stopped before touching anything


def test_no_sms_signing_token_from_a_default_key_or_in_production(monkeypatch):
    url, form = "http://localhost:5005/webhooks/twilio_sms/webhook", parse_form(b"From=%2B33612345678&Body=x")
    default_key = settings_with(monkeypatch, HASH_KEY=DEFAULTS["HASH_KEY"])
    assert auth_token(default_key) is None
    assert not is_signed(url, form, "anything", auth_token(default_key))  # no token: every request refused
    assert auth_token(settings_with(monkeypatch, HASH_KEY="")) is None
    assert auth_token(settings_with(monkeypatch, APP_ENV="production")) is None  # production: Twilio's token only
    assert auth_token(settings_with(monkeypatch, APP_ENV="production", TWILIO_AUTH_TOKEN="twilio")) == "twilio"
    local = auth_token(settings_with(monkeypatch, HASH_KEY="a-random-local-key-from-make-run"))
    assert local and local != auth_token(settings_with(monkeypatch, HASH_KEY="another-random-local-key"))


@pytest.mark.processes
def test_python_m_bot_sms_says_what_to_do_without_a_token(tmp_path):
    env = {
        **os.environ,
        "HASH_KEY": DEFAULTS["HASH_KEY"],
        "TWILIO_AUTH_TOKEN": "",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
        "PUBLIC_URL": "http://localhost:5005",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "sms", "bonjour"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2 and "make run" in result.stderr


def test_local_secrets_are_written_once_and_replace_only_defaults(monkeypatch, tmp_path, capsys):
    for name in SECRETS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PUBLIC_URL", "http://localhost:5005")
    monkeypatch.setenv("APP_ENV", "")
    reload_settings()
    env_file = tmp_path / ".env"
    env_file.write_text(f"CITY_NAME=Metz\nHASH_KEY={DEFAULTS['HASH_KEY']}\n")  # copied from .env.example
    assert local_secrets(["--env-file", str(env_file)]) == 0
    said = capsys.readouterr().out
    assert "Wrote random local secrets" in said and all(name in said for name in SECRETS)
    written = dict(line.split("=", 1) for line in env_file.read_text().splitlines() if "=" in line and line[0] != "#")
    assert written["CITY_NAME"] == "Metz"
    assert all(len(written[name]) >= 32 and written[name] != DEFAULTS[name] for name in SECRETS)
    assert oct(env_file.stat().st_mode & 0o777) == "0o600"
    before = env_file.read_text()
    assert local_secrets(["--env-file", str(env_file)]) == 0
    assert env_file.read_text() == before and capsys.readouterr().out == ""  # once
