"""The widget's Rasa channel (bot/web/channel.py) over plain HTTP, against the
real server: secrets are masked before Rasa stores them, conversation ids are
web ones only, bad input gets a kind French answer (never a 5xx), and the
browser's cross-origin preflight is allowed."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid

from sqlalchemy import create_engine, text

from bot.web import deliveries


def post(bot, body: bytes, content_type: str = "application/json") -> tuple[int, list]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{bot.rasa_port}/webhooks/web/webhook",
        data=body,
        headers={"Content-Type": content_type, "Origin": "http://127.0.0.1:1"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def say(bot, sender: str, message) -> tuple[int, list]:
    return post(bot, json.dumps({"sender": sender, "message": message}).encode())


def stored_user_texts(bot, sender: str) -> str:
    engine = create_engine(bot.env["DATABASE_URL"])
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT data FROM events WHERE sender_id = :s"), {"s": sender}).scalars().all()
    engine.dispose()
    return "\n".join(json.loads(row).get("text") or "" for row in rows if json.loads(row).get("event") == "user")


def test_a_password_is_masked_before_rasa_stores_it_and_the_resident_is_warned(live_bot):
    sender = f"web:{uuid.uuid4()}"
    status, answer = say(live_bot, sender, "mon mot de passe est Soleil2024 et je suis bloqué")
    assert status == 200
    assert "n'envoyez jamais" in answer[0]["text"]
    stored = stored_user_texts(live_bot, sender)
    assert "[masqué]" in stored and "Soleil2024" not in stored


def test_bad_input_gets_a_kind_french_answer(live_bot):
    sender = f"web:{uuid.uuid4()}"
    assert say(live_bot, sender, "   ") == (
        200,
        [{"recipient_id": sender, "text": "Votre message est vide. Écrivez votre question, puis appuyez sur Envoyer."}],
    )
    status, answer = say(live_bot, sender, "a" * 5000)
    assert status == 200 and "trop long" in answer[0]["text"]
    status, answer = post(live_bot, b"{not json")
    assert status == 400 and "Rechargez la page" in answer[0]["text"]
    status, answer = say(live_bot, sender, 42)
    assert status == 200 and "vide" in answer[0]["text"]


def test_only_web_conversation_ids_are_accepted(live_bot):
    # An SMS conversation id (a keyed hash) or any free text cannot be written into from a browser.
    for sender in ("moi", "a3f1" * 8, "web:../../x", None):
        status, answer = say(live_bot, sender, "Bonjour")
        assert status == 400 and "Rechargez la page" in answer[0]["text"]
    status, answer = say(live_bot, "web:" + uuid.uuid4().hex, "Bonjour")
    assert status == 200 and answer[0]["text"].startswith("Bonjour")


def test_the_browser_may_call_it_from_the_city_website(live_bot):
    request = urllib.request.Request(
        f"http://127.0.0.1:{live_bot.rasa_port}/webhooks/web/webhook",
        method="OPTIONS",
        headers={
            "Origin": "https://metz.fr",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Access-Control-Allow-Origin"] in ("*", "https://metz.fr")
        assert "POST" in response.headers["Access-Control-Allow-Methods"]


def test_a_message_sent_again_is_answered_once_with_the_same_answer(live_bot):
    sender = f"web:{uuid.uuid4()}"
    message = {"sender": sender, "message": "comment créer une adresse mail", "message_id": uuid.uuid4().hex}
    first = post(live_bot, json.dumps(message).encode())
    again = post(live_bot, json.dumps(message).encode())
    assert first[0] == 200 and first[1] and again == first
    assert stored_user_texts(live_bot, sender).count("comment créer une adresse mail") == 1

    # Another message (another id) is a new turn, even with the same words.
    other = post(live_bot, json.dumps({**message, "message_id": uuid.uuid4().hex}).encode())
    assert other[0] == 200
    assert stored_user_texts(live_bot, sender).count("comment créer une adresse mail") == 2


def test_a_malformed_message_id_gets_a_kind_answer(live_bot):
    sender = f"web:{uuid.uuid4()}"
    for message_id in ("x", 42, "a" * 65, "<script>alert(1)</script>"):
        status, answer = post(
            live_bot, json.dumps({"sender": sender, "message": "Bonjour", "message_id": message_id}).encode()
        )
        assert status == 400 and "Rechargez la page" in answer[0]["text"]
    assert stored_user_texts(live_bot, sender) == ""


def test_a_message_still_being_answered_is_not_answered_twice(live_bot):
    # The first request is still being answered (its row is taken, no answer yet): the
    # retry is told to wait, with a status the widget retries on.
    sender, message_id = f"web:{uuid.uuid4()}", uuid.uuid4().hex
    engine = create_engine(live_bot.env["DATABASE_URL"])
    try:
        assert deliveries.claim(sender, message_id, engine).new
    finally:
        engine.dispose()
    status, answer = post(
        live_bot, json.dumps({"sender": sender, "message": "Bonjour", "message_id": message_id}).encode()
    )
    assert status == 409 and "patientez" in answer[0]["text"]
    assert stored_user_texts(live_bot, sender) == ""
