"""A place or a permanence closed until a date: no slot until then, booked residents texted."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
import yaml
from sqlalchemy import select

from bot.booking.models import Appointment
from bot.booking.slots import next_slots
from bot.booking.timeutil import local
from bot.db import session_scope
from bot.desk.permanence_admin import close_permanence_until, close_place_until, reopen
from bot.desk.places_loader import load_places
from bot.handoff import book
from bot.places.models import Permanence, Place
from bot.settings import get_settings
from bot.sms.models import OutboundMessage
from bot.sms.outbound import SmsConfig
from tests.booking.helpers import WINDOW, make_place, make_resident

# The closures act on appointments still ahead of the real clock: NOW is next week's Tuesday.
_today = datetime.now(timezone.utc).replace(hour=8, minute=0, second=0, microsecond=0)
NOW = _today + timedelta(days=7 + (1 - _today.weekday()) % 7)  # a Tuesday, 08:00 UTC
CLOSED_TO = (NOW + timedelta(days=14)).date()
CLI_CLOSED_TO = (NOW + timedelta(days=60)).date()


def booked(session, place, number="+33612345678"):
    slot = next_slots(session, now=NOW, place_ids=[place.id], limit=1, window=WINDOW)[0]
    return book(session, make_resident(session, number), slot, limit=2)


def test_a_place_closed_until_a_date_offers_no_slot_until_then_and_texts_who_was_booked(db_engine):
    with session_scope(db_engine) as session:
        place, _permanence = make_place(session, schedule="Tu 14:00-17:00")
        appointment = booked(session, place)
        first_day = local(appointment.start).date()
        until = first_day + timedelta(days=14)
        report = close_place_until(
            session, place, until, "Travaux", actor="coordination", sms=SmsConfig.of(get_settings())
        )
        assert (report.cancelled, report.texted) == (1, 1)
        assert session.get(Appointment, appointment.id).status == "revoked"
        sms = session.execute(select(OutboundMessage)).scalar_one()
        assert sms.purpose == "desk" and "est annulé" in sms.body
        slots = next_slots(session, now=NOW, place_ids=[place.id], limit=10, window=WINDOW)
        assert slots and all(local(s.start).date() > until for s in slots)
        reopen(place)
        assert (
            local(next_slots(session, now=NOW, place_ids=[place.id], limit=1, window=WINDOW)[0].start).date()
            == first_day
        )


def test_a_permanence_closed_until_a_date_leaves_the_other_permanences_open(db_engine):
    with session_scope(db_engine) as session:
        place, permanence = make_place(session, schedule="Tu 14:00-17:00")
        other = Permanence(
            slug="p-other",
            place_id=place.id,
            conseiller_id=permanence.conseiller_id,
            kind="individuel",
            slot_minutes=60,
            capacity=1,
            schedule="We 09:00-12:00",
        )
        session.add(other)
        session.flush()
        appointment = booked(session, place)
        assert appointment.permanence_id == permanence.id
        report = close_permanence_until(
            session, permanence, CLOSED_TO, None, actor="coordination", sms=SmsConfig.of(get_settings())
        )
        assert report.cancelled == 1 and session.get(Appointment, appointment.id).status == "revoked"
        slots = next_slots(session, now=NOW, place_ids=[place.id], limit=20, window=WINDOW)
        assert {s.permanence_id for s in slots if local(s.start).date() <= CLOSED_TO} == {other.id}
        assert any(s.permanence_id == permanence.id for s in slots)  # after the 15th again


def test_a_closure_written_in_the_places_file_reaches_a_database_loaded_before(db_engine, tmp_path):
    data = {
        "timezone": "Europe/Paris",
        "holidays": {"country": "FR", "subdiv": "57"},
        "conseillers": [{"slug": "c1", "name": "Camille"}],
        "places": [
            {
                "slug": "lieu",
                "nom": "Lieu",
                "adresse": "1 rue",
                "code_postal": "57000",
                "commune": "Metz",
                "permanences": [{"slug": "lieu-c1", "conseiller": "c1", "schedule": "Mo-Fr 09:00-17:00"}],
            }
        ],
    }
    path = tmp_path / "city.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with session_scope(db_engine) as session:
        load_places(session, path, sms=SmsConfig.of(get_settings()))
        place = session.execute(select(Place)).scalar_one()
        appointment = booked(session, place)
    data["places"][0].update(closed_until="2030-01-01", closed_reason="Reconstruction", checked="2026-12-01")
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with session_scope(db_engine) as session:
        load_places(
            session, path, sms=SmsConfig.of(get_settings())
        )  # without --update: the desk's edits stay, the closure does not wait
        place = session.execute(select(Place)).scalar_one()
        assert place.closed_until == date(2030, 1, 1) and place.checked_on == date(2026, 12, 1)
        assert session.get(Appointment, appointment.id).status == "revoked"
        assert next_slots(session, now=NOW, place_ids=[place.id], window=WINDOW) == []
        load_places(session, path, sms=SmsConfig.of(get_settings()))  # twice: nothing more
        assert len(session.execute(select(OutboundMessage)).scalars().all()) == 1


@pytest.mark.processes
def test_the_command_closes_a_place_until_a_date_and_reopens_it(tmp_path):
    import os
    import subprocess
    import sys

    from bot.db import make_engine
    from bot.settings import ROOT
    from tests.conftest import migrated

    url = f"sqlite:///{tmp_path / 'app.db'}"
    migrated(url)
    env = {**os.environ, "DATABASE_URL": url, "TWILIO_ACCOUNT_SID": "", "TWILIO_AUTH_TOKEN": ""}

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "bot", "places", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert run("load").returncode == 0
    closed = run("close", "ccas-metz", "--until", CLI_CLOSED_TO.isoformat(), "--reason", "Travaux")
    assert closed.returncode == 0 and f"closed until {CLI_CLOSED_TO}" in closed.stdout
    assert run("close", "nowhere", "--until", CLI_CLOSED_TO.isoformat()).returncode == 1
    assert run("close", "ccas-camille", "--permanence", "--until", CLOSED_TO.isoformat()).returncode == 0
    engine = make_engine(url)
    with session_scope(engine) as session:
        place = session.execute(select(Place).where(Place.slug == "ccas-metz")).scalar_one()
        assert (place.closed_until, place.closed_reason) == (CLI_CLOSED_TO, "Travaux")
        assert next_slots(session, now=NOW, place_ids=[place.id], window=WINDOW) == []
    assert run("close", "ccas-metz", "--reopen").returncode == 0
    with session_scope(engine) as session:
        place = session.execute(select(Place).where(Place.slug == "ccas-metz")).scalar_one()
        assert place.closed_until is None
    engine.dispose()
