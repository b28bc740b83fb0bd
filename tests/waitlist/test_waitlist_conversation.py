"""The waitlist question in a live conversation (the trained model, the real servers):
AUTRE to the end of the offers -> "Voulez-vous un SMS si un créneau plus tôt se libère ?" ->
OUI -> an entry on the list; "plus tôt" -> the question -> NON -> no entry. Its own bot, with
a 7-day booking horizon, so that AUTRE reaches the end of the offers in a few turns."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from bot import migrate
from bot.booking.timeutil import as_utc
from bot.db import make_engine, session_scope
from bot.places.models import Place
from bot.privacy.hashing import phone_hash
from bot.texts import waitlist as texts
from bot.waitlist.models import EntryStatus, WaitlistEntry
from tests.conftest import load_city_places
from tests.support.live_bot import TEST_SECRETS

HASH_KEY = TEST_SECRETS["HASH_KEY"]

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def short_horizon_bot(model_path, tmp_path_factory):
    from tests.support.live_bot import start_live_bot

    folder = tmp_path_factory.mktemp("waitlist_bot")
    database_url = f"sqlite:///{folder / 'app.db'}"
    migrate.upgrade(database_url)
    load_city_places(database_url)
    bot = start_live_bot(model_path, database_url, folder / "logs", extra_env={"BOOKING_HORIZON_DAYS": "7"})
    yield bot
    bot.stop()


def triage_to_offer(bot, sender: str, mobile: str) -> str:
    say = lambda text: " ".join(bot.texts(sender, text))  # noqa: E731
    say("je n'arrive pas à envoyer un mail avec une pièce jointe")
    assert "appareil" in say("je veux un rendez-vous")
    assert "adresse e-mail" in say("2")
    assert "identifiants" in say("oui")
    assert "quartier" in say("non")
    assert "Quand" in say("j'habite à Borny")
    say("peu importe")
    say("Marie")
    assert "portable" in say("1")
    offer = say(mobile)
    assert "Répondez 1, 2 ou 3" in offer, offer
    return offer


def entries_of(bot, e164: str) -> list[WaitlistEntry]:
    engine = make_engine(bot.env["DATABASE_URL"])
    with session_scope(engine) as s:
        rows = (
            s.execute(select(WaitlistEntry).where(WaitlistEntry.phone_hash == phone_hash(e164, HASH_KEY)))
            .scalars()
            .all()
        )
        s.expunge_all()
    engine.dispose()
    return rows


def test_autre_to_the_end_then_yes_puts_the_resident_on_the_list(short_horizon_bot):
    bot, sender = short_horizon_bot, "web:" + uuid.uuid4().hex
    triage_to_offer(bot, sender, "06 12 34 00 71")
    for _ in range(40):
        answer = " ".join(bot.texts(sender, "autre"))
        if texts.question_text() in answer:
            break
    else:
        pytest.fail("AUTRE never reached the end of the offers")
    assert texts.no_other_slot_text() in answer
    joined = " ".join(bot.texts(sender, "oui"))
    assert "C'est noté. Je vous écris si un créneau plus tôt se libère" in joined, joined
    [entry] = entries_of(bot, "+33612340071")
    assert entry.status == EntryStatus.ACTIVE and entry.thematique == "email" and entry.appointment_id is None
    engine = make_engine(bot.env["DATABASE_URL"])
    with session_scope(engine) as s:
        borny = [p.id for p in s.execute(select(Place)).scalars() if "borny" in p.slug]
    engine.dispose()
    assert set(borny) <= set(entry.place_ids)
    assert as_utc(entry.before) < as_utc(entry.expires_at)


def test_plus_tot_then_no_leaves_no_entry(short_horizon_bot):
    bot, sender = short_horizon_bot, "web:" + uuid.uuid4().hex
    triage_to_offer(bot, sender, "06 12 34 00 72")
    assert texts.question_text() in " ".join(bot.texts(sender, "c'est trop tard, plus tôt ?"))
    assert texts.declined_text() in " ".join(bot.texts(sender, "non"))
    assert entries_of(bot, "+33612340072") == []
