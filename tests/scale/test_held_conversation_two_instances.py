"""A held conversation across two Rasa instances (one PostgreSQL, one Redis), by SMS as Twilio sends it.

A resident starts the triage; a conseiller takes the conversation over; the
resident's next SMS reach the desk, whichever instance Twilio calls, and the
assistant answers none of them (its stored conversation does not even see them);
AIDE is still answered and shown to the conseiller; after the hand-back the
assistant carries on the triage where it was.
"""

from __future__ import annotations

import pytest
import redis
from sqlalchemy import select, text

from bot import migrate
from bot.conversations import hold as holds
from bot.conversations.models import ConversationMessage
from bot.db import make_engine, session_scope
from bot.desk.accounts import create_user
from bot.residents import sms_conversation_id
from bot.settings import get_settings, reload_settings
from bot.sms.outbound import SmsConfig
from tests.conftest import REDIS_TEST_URL, load_city_places
from tests.sms.live import WEBHOOK, inbound_params, new_sms, post, sms_to
from tests.support.live_bot import TEST_SECRETS, free_port, start_live_bot

HASH_KEY = TEST_SECRETS["HASH_KEY"]

pytestmark = [pytest.mark.live, pytest.mark.postgres, pytest.mark.redis, pytest.mark.model]
PHONE = "+33612345001"


class Instance:
    def __init__(self, bot, port):
        self.rasa_port = port
        self.twilio_record_file = bot.twilio_record_file


@pytest.fixture
def two_instances(postgres_url, model_path, tmp_path, monkeypatch):
    migrate.upgrade(postgres_url)
    load_city_places(postgres_url)
    redis.Redis.from_url(REDIS_TEST_URL).flushdb()
    bot = start_live_bot(model_path, postgres_url, tmp_path / "logs", {"REDIS_URL": REDIS_TEST_URL})
    second = free_port()
    bot.start_rasa(second)
    # This process writes as the desk does, with the servers' settings (their HASH_KEY: the same ids).
    for key in ("HASH_KEY", "DATABASE_URL"):
        monkeypatch.setenv(key, bot.env[key])
    for key in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"):
        monkeypatch.setenv(key, "")
    reload_settings()
    yield bot, Instance(bot, bot.rasa_port), Instance(bot, second)
    bot.stop()
    monkeypatch.undo()
    reload_settings()


def sms(instance, body):
    answer = post(instance, WEBHOOK, inbound_params(PHONE, body))
    assert answer.status == 200, answer


def user_texts(engine, conversation_id):
    with engine.connect() as conn:
        rows = (
            conn.execute(
                text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user'"), {"s": conversation_id}
            )
            .scalars()
            .all()
        )
    return "\n".join(rows)


def test_a_held_sms_conversation_reaches_the_desk_not_the_bot_on_either_instance(two_instances):
    bot, a, b = two_instances
    engine = make_engine(bot.env["DATABASE_URL"])
    conversation = sms_conversation_id(PHONE, HASH_KEY)
    sms(a, "je veux un rendez-vous")
    assert any("questions courtes" in t for t in sms_to(bot, PHONE))

    with session_scope(engine) as session:
        user = create_user(session, email="coord.hold@metz.fr", password="mot-de-passe-de-test", role="coordinateur")
        holds.take_over(session, conversation, user, hours=24, sms=SmsConfig.of(get_settings()))
        user_id = user.id
    before = len(sms_to(bot, PHONE))
    sms(a, "bonjour, vous êtes là ?")
    sms(b, "j'attends votre réponse")
    assert new_sms(bot, PHONE, before) == []  # no answer of the assistant, from either instance
    stored = user_texts(engine, conversation)
    assert "vous êtes là" not in stored and "j'attends" not in stored  # Rasa never saw them
    with session_scope(engine) as session:
        kept = [
            (m.author, m.kind, m.text)
            for m in session.execute(
                select(ConversationMessage)
                .where(ConversationMessage.author == "resident")
                .order_by(ConversationMessage.id)
            ).scalars()
        ]
    assert kept == [("resident", "text", "bonjour, vous êtes là ?"), ("resident", "text", "j'attends votre réponse")]

    # AIDE is answered as always, and shown to the conseiller.
    sms(b, "AIDE")
    assert len(new_sms(bot, PHONE, before)) == 1
    with session_scope(engine) as session:
        kinds = [m.kind for m in session.execute(select(ConversationMessage)).scalars()]
    assert "keyword:aide" in kinds

    # Handed back: the assistant carries on the triage it had started (its state kept).
    with session_scope(engine) as session:
        from bot.staff.models import User

        holds.hand_back(
            session, holds.hold_row(session, conversation), session.get(User, user_id), sms=SmsConfig.of(get_settings())
        )
    before = len(sms_to(bot, PHONE))
    sms(b, "je n'arrive pas à envoyer un mail avec une pièce jointe")
    answers = new_sms(bot, PHONE, before)
    assert any("appareil" in t for t in answers), answers
    engine.dispose()
