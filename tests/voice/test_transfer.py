"""Transfer or call-back: the permanence hours of the caller's place, at fixed moments."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.db import session_scope
from bot.places.models import Closure, Conseiller, Permanence, Place
from bot.residents import resident_for_conversation, resident_for_phone
from bot.voice.transfer import TransferPolicy, hand_off, in_permanence, next_opening, when_text
from tests.support.live_bot import TEST_SECRETS

HASH_KEY = TEST_SECRETS["HASH_KEY"]

PARIS = ZoneInfo("Europe/Paris")
# VOICE_TRANSFER_PLACE=accueil, TIMEZONE and SMS_DEFAULT_REGION, as the voice channel passes them
ACCUEIL = TransferPolicy(place="accueil", timezone="Europe/Paris", region="FR")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS).astimezone(timezone.utc)


@pytest.fixture
def place(db_engine, monkeypatch):
    monkeypatch.setenv("VOICE_TRANSFER_PLACE", "accueil")
    from bot.settings import reload_settings

    reload_settings()
    with session_scope(db_engine) as session:
        place = Place(
            slug="accueil",
            nom="Accueil",
            adresse="1 rue",
            code_postal="57000",
            commune="Metz",
            telephone="03 87 00 00 01",
            voice_transfer=True,
            services=[],
            modalites_acces=[],
            modalites_accompagnement=[],
            aliases=[],
            holidays_country="FR",
            holidays_subdiv="57",
            timezone="Europe/Paris",
        )
        conseiller = Conseiller(slug="c", name="C")
        session.add_all([place, conseiller])
        session.flush()
        session.add(Permanence(slug="p", place_id=place.id, conseiller_id=conseiller.id, schedule="Fr 09:00-12:00"))
        place_id = place.id
    yield db_engine, place_id
    monkeypatch.undo()
    reload_settings()


def test_permanence_hours_closures_and_public_holidays(place):
    engine, place_id = place
    with session_scope(engine) as session:
        p = session.get(Place, place_id)
        assert in_permanence(session, p, at(2026, 12, 4, 10, 0), city_tz="Europe/Paris")  # a Friday morning
        assert not in_permanence(session, p, at(2026, 12, 4, 13, 0), city_tz="Europe/Paris")
        assert not in_permanence(session, p, at(2026, 12, 25, 10, 0), city_tz="Europe/Paris")  # Christmas, a Friday
        assert next_opening(session, p, at(2026, 12, 4, 13, 0), city_tz="Europe/Paris")[0] == at(2026, 12, 11, 9, 0)
        # 25 December and 1 January are Fridays and public holidays: the next one is 8 January.
        assert next_opening(session, p, at(2026, 12, 19, 12, 0), city_tz="Europe/Paris")[0] == at(2027, 1, 8, 9, 0)
        session.add(Closure(place_id=place_id, start_date=date(2026, 12, 11), end_date=date(2026, 12, 11)))
        session.flush()
        assert not in_permanence(session, p, at(2026, 12, 11, 10, 0), city_tz="Europe/Paris")
        assert next_opening(session, p, at(2026, 12, 4, 13, 0), city_tz="Europe/Paris")[0] == at(2026, 12, 18, 9, 0)
        assert (
            when_text(session, p, at(2026, 12, 4, 13, 0), city_tz="Europe/Paris")
            == "à partir de vendredi 18 décembre à 9 h"
        )


def test_transfer_during_the_permanence_else_one_call_back_ticket(place):
    engine, place_id = place
    with session_scope(engine) as session:
        resident = resident_for_phone(session, "+33612345678", HASH_KEY)
        assert (
            hand_off(session, resident, ["parler à quelqu'un"], now=at(2026, 12, 4, 10, 0), policy=ACCUEIL).number
            == "+33387000001"
        )
        assert hand_off(session, resident, [], now=at(2026, 12, 4, 10, 0), policy=ACCUEIL).kind == "dial"
        later = hand_off(session, resident, ["conseiller"], now=at(2026, 12, 4, 13, 0), policy=ACCUEIL)
        assert (later.kind, later.number, later.when) == (
            "callback",
            "+33612345678",
            "à partir de vendredi 11 décembre à 9 h",
        )
        assert hand_off(session, resident, [], now=at(2026, 12, 4, 14, 0), policy=ACCUEIL).kind == "already"
        # Nobody answered the transfer: a call-back (already noted here).
        assert (
            hand_off(session, resident, [], now=at(2026, 12, 4, 10, 0), dial_failed=True, policy=ACCUEIL).kind
            == "already"
        )
        session.get(Place, place_id).voice_transfer = False  # the setting is off by default
        hidden = resident_for_conversation(session, "voice:abc")
        assert hand_off(session, hidden, [], now=at(2026, 12, 4, 10, 0), policy=ACCUEIL).kind == "need_number"
