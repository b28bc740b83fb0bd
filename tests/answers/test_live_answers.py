"""An edited answer reaches residents at once, through the real servers.

- Two Rasa instances (two Sanic workers each, as deployed) on one PostgreSQL: an answer
  changed with `python -m bot answers set` is what the next turn gets on every instance,
  with no retraining and no restart, and again after a second change.
- A coordinateur, in the desk, fixes a phone number in an answer (adding the new number
  with its source); the next SMS a resident gets through Twilio carries the new number.
"""

from __future__ import annotations

import html
import uuid

import pytest
import redis
from sqlalchemy import select

from bot import migrate
from bot.answers import store
from bot.answers.models import Answer
from bot.answers.seed import seed
from bot.db import make_engine, session_scope
from bot.desk import create_app
from bot.settings import reload_settings
from tests.conftest import REDIS_TEST_URL, load_city_places
from tests.desk.conftest import csrf_token, login, make_user
from tests.sms.live import fresh_mobile, new_sms, sms_to, text
from tests.support.live_bot import free_port, start_live_bot

pytestmark = [pytest.mark.model, pytest.mark.live]

QUESTION = "comment envoyer une pièce jointe"
KEY = "utter_faq_email/piece_jointe"


def seed_database(url: str) -> str:
    engine = make_engine(url)
    with session_scope(engine) as session:
        seed(session)
        original = store.get(session, KEY).variations[0]["text"]
    engine.dispose()
    return original


@pytest.fixture
def two_instances(postgres_url, model_path, tmp_path):
    migrate.upgrade(postgres_url)
    load_city_places(postgres_url)
    original = seed_database(postgres_url)
    redis.Redis.from_url(REDIS_TEST_URL).flushdb()
    bot = start_live_bot(
        model_path, postgres_url, tmp_path / "logs", {"REDIS_URL": REDIS_TEST_URL, "SANIC_WORKERS": "2"}
    )
    second = free_port()
    bot.start_rasa(second)
    yield bot, [bot.rasa_port, second], original
    bot.stop()


def answers_on(bot, port: int, count: int = 4) -> list[str]:
    """The answer to QUESTION in `count` new conversations on the instance at `port`."""
    saved = bot.rasa_port
    bot.rasa_port = port
    try:
        return [" ".join(bot.texts(f"web:{uuid.uuid4()}", QUESTION)) for _ in range(count)]
    finally:
        bot.rasa_port = saved


@pytest.mark.postgres
@pytest.mark.redis
def test_an_edit_changes_the_next_turn_on_two_rasa_instances_sharing_postgresql(two_instances, tmp_path):
    bot, ports, original = two_instances
    for port in ports:
        assert all(original in answer for answer in answers_on(bot, port))
    for version, new in enumerate(
        [
            "Touchez le trombone, choisissez le fichier, attendez la fin du chargement, puis envoyez. Écrivez RDV.",
            "Dans un nouveau message, touchez le trombone ou Joindre, choisissez la photo, puis envoyez.",
        ]
    ):
        path = tmp_path / f"text-{version}.txt"
        path.write_text(new, encoding="utf-8")
        bot.run_cli("answers", "set", KEY, "--text-file", str(path), "--by", "test")
        for port in ports:
            got = answers_on(bot, port)
            assert all(new in answer for answer in got), (port, got)


def test_a_coordinateur_fixes_a_phone_number_in_the_desk_and_the_next_sms_carries_it(live_bot, monkeypatch):
    url = live_bot.env["DATABASE_URL"]
    engine = make_engine(url)
    key = "utter_ask_human"
    phone = fresh_mobile()
    with session_scope(engine) as session:
        seed(session)
        old = session.execute(select(Answer).where(Answer.key == key)).scalar_one().variations[0]["text"]
        version = store.get(session, key).version
    assert "03 87 55 50 00" in old
    text(live_bot, phone, "je veux parler à une personne")
    assert "03 87 55 50 00" in sms_to(live_bot, phone)[-1]

    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DESK_COOKIE_SECURE", "false")
    app = create_app(reload_settings())
    app.config["TESTING"] = True
    try:
        email = f"coord-{uuid.uuid4().hex[:6]}@metz.fr"
        make_user(engine, email, "coordinateur")
        client = app.test_client()
        login(client, email)
        edit_page = client.get(f"/reponses/modifier?cle={key}").get_data(as_text=True)
        fixed = html.unescape(edit_page.split('name="texte_0"')[1].split(">", 1)[1].split("</textarea>")[0])
        fixed = fixed.replace("03 87 55 50 00", "03 87 55 51 51")
        response = client.post(
            "/reponses/modifier",
            data={
                "csrf_token": csrf_token(edit_page),
                "cle": key,
                "action": "enregistrer",
                "texte_0": fixed,
                "sources": "metz.fr, page Contact",
                "ref_valeur": "03 87 55 51 51",
                "ref_quoi": "Accueil de l'aide numérique (test)",
                "ref_source": "metz.fr, page Contact (test)",
            },
        )
        assert response.status_code == 302, html.unescape(response.get_data(as_text=True))
        before = len(sms_to(live_bot, phone))
        text(live_bot, phone, "je veux parler à une personne")
        [reply] = new_sms(live_bot, phone, before)
        assert "03 87 55 51 51" in reply and "03 87 55 50 00" not in reply
    finally:
        with session_scope(engine) as session:  # the session's live bot serves other tests: put it back
            store.revert(session, key, version, "test")
        engine.dispose()
        monkeypatch.undo()
        reload_settings()
