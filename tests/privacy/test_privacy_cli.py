"""`python -m bot privacy export|erase`: a coordinateur's tools for letters and access requests."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bot.data_rights.export import export_for_phone
from bot.db import session_scope
from bot.settings import ROOT
from tests.privacy.conftest import person
from tests.support.live_bot import TEST_SECRETS

HASH_KEY = TEST_SECRETS["HASH_KEY"]

PHONE = "+33612345678"


def run(engine, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    return subprocess.run(
        [sys.executable, "-m", "bot", "privacy", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.mark.processes
def test_export_then_erase_from_the_command_line(privacy_db, place_and_permanence):
    with session_scope(privacy_db) as session:
        person(session, *place_and_permanence, PHONE, "Alice", "zebulon")

    exported = run(privacy_db, "export", "06 12 34 56 78")
    assert exported.returncode == 0, exported.stderr[-2000:]
    data = json.loads(exported.stdout)
    assert data["phone"] == PHONE and data["residents"][0]["first_name"] == "Alice"
    assert data["tickets"][0]["transcript"] == "je m'appelle Alice zebulon"

    erased = run(privacy_db, "erase", PHONE)
    assert erased.returncode == 0, erased.stderr[-2000:]
    assert "erased: residents=1" in erased.stdout and "tickets=1" in erased.stdout
    with session_scope(privacy_db) as session:
        after = export_for_phone(session, PHONE, HASH_KEY)
    assert after["residents"] == [] and after["tickets"] == []

    refused = run(privacy_db, "export", "not a number")
    assert refused.returncode != 0 and "not a valid phone number" in refused.stderr
