"""Fixtures of the privacy tests: a fresh database named by DATABASE_URL (SQLite
or the real PostgreSQL), with our schema and Rasa's own `events` table made by
the real tracker store, and builders for residents with tickets, appointments
and SMS."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta, timezone

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.booking.slots import Slot
from bot.db import make_engine
from bot.handoff import book
from bot.residents import resident_for_phone
from bot.settings import ROOT, get_settings, reload_settings
from bot.sms.models import InboundMessage
from bot.sms.outbound import SmsConfig, send_sms
from tests.booking.helpers import make_place
from tests.conftest import migrated
from tests.handoff.builders import create_ticket
from tests.support.live_bot import TEST_SECRETS

HASH_KEY = TEST_SECRETS["HASH_KEY"]


def shows_digits(text: str, digits: str) -> bool:
    """`digits` stand in `text` as a number of their own: not inside a longer one, such
    as the timestamps of Rasa's events ("1796040910.878931" holds "7893")."""
    return re.search(rf"(?<![\d.]){digits}(?![\d.]?\d)", text) is not None


@pytest.fixture(scope="session")
def domain() -> Domain:
    return Domain.load(str(ROOT / "bot" / "domain"))


def _use_database(url: str, monkeypatch):
    migrated(url)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", "")
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "")
    reload_settings()
    return make_engine(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def privacy_db(request, tmp_path, monkeypatch):
    """An engine on a fresh database that the code under test reaches through DATABASE_URL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'privacy.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    engine = _use_database(url, monkeypatch)
    yield engine
    engine.dispose()
    monkeypatch.undo()
    reload_settings()


@pytest.fixture
def tracker_store(privacy_db, domain):
    """The product's tracker store (bot/rasa_stores.py) on that database."""
    from bot.rasa_stores import SettingsTrackerStore

    store = SettingsTrackerStore(domain=domain)
    yield store
    store.engine.dispose()


def save(store, sender_id: str, texts: list[str], at: datetime | None = None) -> DialogueStateTracker:
    """Store a conversation where the resident says `texts`, its events dated `at`."""
    ts = (at or datetime.now(timezone.utc)).timestamp()
    tracker = DialogueStateTracker(sender_id, store.domain.slots)
    tracker.update(ActionExecuted("action_listen", timestamp=ts))
    for i, text in enumerate(texts):
        tracker.update(
            UserUttered(
                text,
                {"name": "greet", "confidence": 1.0},
                parse_data={"text": text, "intent": {"name": "greet", "confidence": 1.0}, "entities": []},
                timestamp=ts + i,
            )
        )
        tracker.update(BotUttered("Bonjour !", timestamp=ts + i))
        tracker.update(ActionExecuted("action_listen", timestamp=ts + i))
    asyncio.run(store.save(tracker))
    return tracker


def future_slot(permanence, days: int) -> Slot:
    start = (datetime.now(timezone.utc) + timedelta(days=days)).replace(hour=13, minute=0, second=0, microsecond=0)
    return Slot(
        permanence_id=permanence.id,
        place_id=permanence.place_id,
        start=start,
        end=start + timedelta(hours=1),
        capacity=permanence.capacity,
        remaining=permanence.capacity,
    )


def person(session, place, permanence, phone: str, first_name: str, secret_word: str, days: int = 7):
    """A resident of `phone` with a future appointment, its ticket, SMS in and out."""
    resident = resident_for_phone(session, phone, HASH_KEY)
    resident.first_name = first_name
    appointment = book(session, resident, future_slot(permanence, days), limit=2)
    ticket = create_ticket(
        session,
        resident_id=resident.id,
        thematique="email",
        triage={
            "thematique": "email",
            "besoin": f"mail {secret_word}",
            "materiel": "telephone",
            "neighbourhood": "Borny",
            "accessibility": "mobilite",
            "has_email": "oui",
        },
        activity_report={
            "thematiques": ["email"],
            "materiel": "telephone",
            "lieu": place.nom,
            "notes": f"{first_name} {secret_word}",
        },
        bot_answers=["faq_email/mot_de_passe_oublie"],
        transcript_excerpt=f"je m'appelle {first_name} {secret_word}",
        appointment_id=appointment.id,
        place_id=place.id,
    )
    send_sms(
        session,
        to_e164=phone,
        body=f"Rendez-vous confirmé {first_name}",
        purpose="confirmation",
        ticket_id=ticket.id,
        appointment_id=appointment.id,
        sms=SmsConfig.of(get_settings()),
    )
    session.add(InboundMessage(message_sid="SM" + phone[1:] + secret_word, from_hash=resident.phone_hash))
    session.flush()
    return resident, appointment, ticket


@pytest.fixture
def place_and_permanence(privacy_db):
    from bot.db import session_scope

    with session_scope(privacy_db) as session:
        place, permanence = make_place(session, schedule="Tu 14:00-17:00", capacity=1)
    return place, permanence
