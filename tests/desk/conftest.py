"""Fixtures of the desk tests: a fresh database with Metz's places, accounts,
a booked appointment with its ticket, and the desk app on that database."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from sqlalchemy import select

from bot import handoff
from bot.booking.slots import next_slots
from bot.booking.timeutil import local
from bot.db import make_engine, session_scope
from bot.desk import accounts, create_app
from bot.desk.accounts import create_user
from bot.places.models import Permanence, Place
from bot.residents import resident_for_phone
from bot.settings import reload_settings
from tests.booking.helpers import WINDOW
from tests.conftest import migrated_with_places
from tests.support.live_bot import TEST_SECRETS

HASH_KEY = TEST_SECRETS["HASH_KEY"]

PASSWORD = "mot-de-passe-de-test"
RESIDENT_PHONE = "+33612349999"


def use_cheap_passwords(monkeypatch) -> None:
    """Argon2id at its cheapest cost (argon2.profiles.CHEAPEST, made for tests): each login
    otherwise costs 0.4 s of CPU; the hashes are still argon2id, checked for real."""
    cheap = PasswordHasher.from_parameters(CHEAPEST)
    monkeypatch.setattr(accounts, "_hasher", cheap)
    monkeypatch.setattr(accounts, "_DUMMY_HASH", cheap.hash("not a real password, only for timing"))


@pytest.fixture(autouse=True)
def cheap_passwords(monkeypatch):
    """Every desk test (the prescripteurs' accounts too) hashes at the cheapest cost."""
    use_cheap_passwords(monkeypatch)


@pytest.fixture
def desk_env(monkeypatch, sqlite_url):
    """Settings for a desk on a fresh database (cookies over plain http for the test client)."""
    migrated_with_places(sqlite_url)
    engine = make_engine(sqlite_url)
    use_cheap_passwords(monkeypatch)
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("DESK_COOKIE_SECURE", "false")
    for key in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "SMTP_HOST"):
        monkeypatch.setenv(key, "")
    settings = reload_settings()
    yield settings, engine
    engine.dispose()
    monkeypatch.undo()
    reload_settings()


@pytest.fixture
def desk_engine(desk_env):
    return desk_env[1]


def first_permanence(session, place_slug: str = "mairie-borny") -> Permanence:
    place = session.execute(select(Place).where(Place.slug == place_slug)).scalar_one_or_none()
    query = select(Permanence).where(Permanence.active.is_(True), Permanence.kind == "individuel")
    if place is not None:
        query = query.where(Permanence.place_id == place.id)
    return session.execute(query.order_by(Permanence.id)).scalars().first()


def make_booked_ticket(
    engine,
    phone: str = RESIDENT_PHONE,
    transcript: str = "je veux de l'aide pour mes mails",
    permanence_id: int | None = None,
) -> tuple[int, int]:
    """A resident with a booked appointment and its ticket, made by the handoff core as the bot makes them:
    (ticket id, appointment id)."""
    with session_scope(engine) as session:
        permanence = session.get(Permanence, permanence_id) if permanence_id else first_permanence(session)
        slots = [
            s
            for s in next_slots(session, place_ids=[permanence.place_id], limit=40, window=WINDOW)
            if s.permanence_id == permanence.id
        ]
        # A slot on a day that keeps another one free, whatever the hour the tests run at (late in the
        # day the first slot can be the day's last, and the tests about a day's slots would see none).
        days = [local(s.start).date() for s in slots]
        slot = next((s for s, day in zip(slots, days) if days.count(day) > 1), slots[0])
        resident = resident_for_phone(session, phone, HASH_KEY)
        appointment = handoff.book(session, resident, slot, limit=2)
        request = handoff.HandoffRequest(
            triage={"materiel": "telephone", "has_email": "oui", "has_login": "non", "besoin": transcript},
            thematique="email",
            route="rendez_vous",
            first_name="Marie",
            bot_answers=["Pour envoyer une pièce jointe, touchez le trombone."],
            transcript=transcript,
            orientation=None,
        )
        ticket = handoff.open_ticket(session, resident, request, appointment)
        return ticket.id, appointment.id


def make_user(engine, email: str, role: str, conseiller_slug: str | None = None) -> None:
    with session_scope(engine) as session:
        create_user(session, email=email, password=PASSWORD, role=role, conseiller_slug=conseiller_slug)


def conseiller_of(engine, permanence_id: int) -> str:
    with session_scope(engine) as session:
        return session.get(Permanence, permanence_id).conseiller.slug


@pytest.fixture
def app(desk_env):
    app = create_app(desk_env[0])
    app.config["TESTING"] = True
    return app


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def login(client, email: str, password: str = PASSWORD):
    token = csrf_token(client.get("/connexion").get_data(as_text=True))
    return client.post("/connexion", data={"email": email, "password": password, "csrf_token": token})


def post_form(client, page: str, action: str, data: dict):
    """Post a form as a browser would: the CSRF token taken from `page`."""
    token = csrf_token(client.get(page).get_data(as_text=True))
    return client.post(action, data={**data, "csrf_token": token})


def utcnow():
    return datetime.now(timezone.utc)
