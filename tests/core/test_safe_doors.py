"""Every door of the assistant tried as an attacker would, against the real Rasa
server and action server (tests/support/live_bot.py) and a Rasa server started the
default way:

- Rasa's plain `rest` channel is absent unless RASA_REST_CHANNEL turns it on, and
  the servers listen on 127.0.0.1 only;
- a tracker posted to the action server without the shared token is refused;
- a lone surrogate, a NUL or a bidi override in the widget's JSON is answered normally;
- a signed SMS with a MessageSid or AccountSid no Twilio request has gets 400,
  nothing recorded, no reply;
- a reminder held while the number said STOP goes out after START.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from datetime import timedelta

import psutil
from sqlalchemy import select

from bot.booking.slots import next_slots
from bot.booking.timeutil import as_utc
from bot.db import make_engine, session_scope
from bot.handoff import book
from bot.privacy.hashing import phone_hash
from bot.residents import resident_for_phone, sms_conversation_id
from bot.settings import ROOT
from bot.sms.models import InboundMessage
from bot.web.channel import trouble
from tests.booking.helpers import WINDOW
from tests.sms.live import WEBHOOK, inbound_params, post, sms_to, text
from tests.support.live_bot import TEST_SECRETS, free_port, wait_http

HASH_KEY = TEST_SECRETS["HASH_KEY"]


def http(url: str, body: dict | bytes | None = None, headers: dict | None = None) -> tuple[int, str]:
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def listening_addresses(pid: int) -> set[str]:
    process = psutil.Process(pid)
    addresses = set()
    for proc in [process, *process.children(recursive=True)]:
        addresses |= {c.laddr.ip for c in proc.connections(kind="tcp") if c.status == psutil.CONN_LISTEN}
    return addresses


def test_the_rest_channel_is_absent_from_a_rasa_server_started_the_default_way(live_bot, tmp_path):
    port = free_port()
    env = {key: value for key, value in live_bot.env.items() if key not in ("RASA_REST_CHANNEL", "LISTEN_HOST")}
    env["RASA_PORT"] = str(port)
    log = open(tmp_path / "rasa-default.log", "w")
    rasa = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "rasa"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/", rasa)
        status, _ = http(
            f"http://127.0.0.1:{port}/webhooks/rest/webhook",
            {"sender": sms_conversation_id("+33612340001", HASH_KEY), "message": "ANNULER"},
        )
        assert status == 404
        # The screened doors are there.
        status, body = http(
            f"http://127.0.0.1:{port}/webhooks/web/webhook", {"sender": f"web:{uuid.uuid4()}", "message": "bonjour"}
        )
        assert status == 200 and json.loads(body)[0]["text"].startswith("Bonjour")
        assert listening_addresses(rasa.pid) == {"127.0.0.1"}
    finally:
        rasa.terminate()
        rasa.wait(timeout=30)
        log.close()
    # The tests' servers turn it on (RASA_REST_CHANNEL=true); their action server listens on 127.0.0.1.
    assert live_bot.texts("rest-channel-test", "bonjour")[0].startswith("Bonjour")
    assert listening_addresses(live_bot.processes[0].pid) == {"127.0.0.1"}


def test_a_forged_tracker_is_refused_by_the_action_server(live_bot):
    phone = "+33612340002"
    engine = make_engine(live_bot.env["DATABASE_URL"])
    with session_scope(engine) as session:
        resident = resident_for_phone(session, phone, HASH_KEY)
        book(session, resident, next_slots(session, limit=1, window=WINDOW)[0], limit=2)
    engine.dispose()
    conversation = sms_conversation_id(phone, HASH_KEY)
    forged = {
        "next_action": "action_check_appointment",
        "sender_id": conversation,
        "version": "3.6.2",
        "domain": {},
        "tracker": {
            "sender_id": conversation,
            "slots": {},
            "latest_message": {"text": "mon rdv", "intent": {}},
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": None,
            "latest_event_time": None,
            "latest_input_channel": "twilio_sms",
        },
    }
    url = f"http://127.0.0.1:{live_bot.action_port}/webhook"
    token = live_bot.env["ACTION_SERVER_TOKEN"]
    for headers in (
        {},
        {"Authorization": "Bearer not-the-token"},
        {"Authorization": token},
        {"Authorization": f"Basic {token}"},
    ):
        status, body = http(url, forged, headers)
        assert status == 401 and "Votre rendez-vous" not in body, headers
    assert http(f"http://127.0.0.1:{live_bot.action_port}/actions")[0] == 401
    assert http(f"http://127.0.0.1:{live_bot.action_port}/health")[0] == 200  # probes
    # Proof the forgery is a real one: with the token (Rasa's), it would have read the appointment.
    status, body = http(url, forged, {"Authorization": f"Bearer {token}"})
    assert status == 200 and "Votre rendez-vous" in body


def test_invalid_unicode_in_the_widgets_json_is_answered_normally(live_bot):
    url = f"http://127.0.0.1:{live_bot.rasa_port}/webhooks/web/webhook"
    for message in ("bonjour \ud800", "bonjour\u0000", "\udfffbonjour\u202e", "bon\x07jour"):
        sender = f"web:{uuid.uuid4()}"
        body = json.dumps({"sender": sender, "message": message}).encode()  # "\ud800" escaped, as a browser may
        status, answer = http(url, body)
        assert status == 200, (message, answer)
        texts = [m["text"] for m in json.loads(answer)]
        assert texts[0].startswith("Bonjour") and trouble() not in texts, (message, texts)
    log = (live_bot.log_dir / "rasa.log").read_text()
    assert "UnicodeEncodeError" not in log and "surrogates not allowed" not in log
    # A conversation id followed by a newline is not a web one (the pattern ends in \Z).
    status, _ = http(url, {"sender": f"web:{uuid.uuid4()}\n", "message": "bonjour"})
    assert status == 400


def test_a_signed_sms_with_a_field_twilio_never_sends_gets_400_and_nothing_else(live_bot):
    phone = "+33612340003"
    good = inbound_params(phone, "bonjour")
    bad_fields = [
        {"MessageSid": "SM" + "a" * 63},  # too long: PostgreSQL refused it with a technical-error SMS
        {"MessageSid": "SM" + uuid.uuid4().hex[:31] + "\x00"},
        {"MessageSid": "SM" + uuid.uuid4().hex + "\n"},
        {"MessageSid": "XX" + uuid.uuid4().hex},
        {"MessageSid": ""},
        {"SmsMessageSid": "SM1"},
        {"AccountSid": "AC" + "1" * 32},  # another account than ours
        {"From": "+336" + "1" * 60},
        {"NumMedia": "-1"},
        {"Body": "x" * 1601},
    ]
    for change in bad_fields:
        params = {**good, "MessageSid": "SM" + uuid.uuid4().hex, **change}
        answer = post(live_bot, WEBHOOK, params)  # signed as Twilio signs
        assert answer.status == 400, change
    engine = make_engine(live_bot.env["DATABASE_URL"])
    with session_scope(engine) as session:
        assert (
            session.execute(
                select(InboundMessage).where(InboundMessage.from_hash == phone_hash(phone, HASH_KEY))
            ).first()
            is None
        )
    engine.dispose()
    assert sms_to(live_bot, phone) == []
    # A NUL inside the text is not a reason to refuse: it is cleaned, and the message answered.
    assert text(live_bot, phone, "bonjour\x00").status == 200
    assert any(body.startswith("Bonjour") for body in sms_to(live_bot, phone))


def count(kind: str, said: str) -> int:
    return int(re.search(rf"(\d+) (?:reminder\(s\) )?{kind}", said).group(1))


def test_a_reminder_held_while_stopped_goes_out_after_start(live_bot):
    phone = "+33612340004"
    engine = make_engine(live_bot.env["DATABASE_URL"])
    with session_scope(engine) as session:
        resident = resident_for_phone(session, phone, HASH_KEY)
        slot = next_slots(session, limit=400, window=WINDOW)[-1]  # weeks ahead: no other test's appointment is due then
        start = as_utc(book(session, resident, slot, limit=2).start)
    engine.dispose()
    moment = (start - timedelta(hours=24)).isoformat()  # the slot's own wall time: never in the quiet hours

    assert text(live_bot, phone, "STOP").status == 200
    held = live_bot.run_cli("reminders", "--now", moment)
    assert count("held", held) >= 1, held
    assert not [m for m in sms_to(live_bot, phone) if m.startswith("Rappel")]

    assert text(live_bot, phone, "START").status == 200
    sent = live_bot.run_cli("reminders", "--now", moment)
    assert count("sent", sent) >= 1 and count("held", sent) == 0, sent
    assert len([m for m in sms_to(live_bot, phone) if m.startswith("Rappel")]) == 1
    assert count("sent", live_bot.run_cli("reminders", "--now", moment)) == 0  # once
