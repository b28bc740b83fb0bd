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


def post(bot, body: bytes, content_type: str = "application/json") -> tuple[int, list]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{bot.rasa_port}/webhooks/web/webhook", data=body,
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
    return "\n".join(json.loads(row).get("text") or "" for row in rows
                     if json.loads(row).get("event") == "user")


def test_a_password_is_masked_before_rasa_stores_it_and_the_resident_is_warned(live_bot):
    sender = f"web:{uuid.uuid4()}"
    status, answer = say(live_bot, sender, "mon mot de passe est Soleil2024 et je suis bloqué")
    assert status == 200
    assert "n'envoyez jamais" in answer[0]["text"]
    stored = stored_user_texts(live_bot, sender)
    assert "[masqué]" in stored and "Soleil2024" not in stored


def test_bad_input_gets_a_kind_french_answer(live_bot):
    sender = f"web:{uuid.uuid4()}"
    assert say(live_bot, sender, "   ") == (200, [{"recipient_id": sender, "text": "Votre message est vide. Écrivez votre question, puis appuyez sur Envoyer."}])
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
        f"http://127.0.0.1:{live_bot.rasa_port}/webhooks/web/webhook", method="OPTIONS",
        headers={"Origin": "https://metz.fr", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Access-Control-Allow-Origin"] in ("*", "https://metz.fr")
        assert "POST" in response.headers["Access-Control-Allow-Methods"]
