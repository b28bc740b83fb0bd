"""Talking to the live bot (tests/support/live_bot.py) by SMS, exactly as Twilio does, and reading its database."""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
import uuid

import sqlalchemy as sa

from bot.db import make_engine, session_scope
from bot.privacy.hashing import phone_hash
from bot.sms.models import InboundMessage, OutboundMessage
from bot.sms.signature import HEADER, sign
from tests.support.live_bot import PUBLIC_URL, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_SECRETS

HASH_KEY = TEST_SECRETS["HASH_KEY"]

WEBHOOK_PATH = "/webhooks/twilio_sms/webhook"


def engine_of(bot):
    return make_engine(bot.env["DATABASE_URL"])


def last_outbound_id(engine, e164: str) -> int:
    with session_scope(engine) as s:
        return (
            s.execute(
                sa.select(sa.func.max(OutboundMessage.id)).where(OutboundMessage.to_hash == phone_hash(e164, HASH_KEY))
            ).scalar()
            or 0
        )


def sms(bot, from_e164: str, body: str) -> str:
    """Text the assistant from `from_e164`; all the SMS it sent back, joined."""
    engine = engine_of(bot)
    before = last_outbound_id(engine, from_e164)
    sid = "SM" + uuid.uuid4().hex
    params = {
        "MessageSid": sid,
        "SmsMessageSid": sid,
        "AccountSid": TEST_ACCOUNT_SID,
        "From": from_e164,
        "To": "+33700000000",
        "Body": body,
        "NumMedia": "0",
        "NumSegments": "1",
        "ApiVersion": "2010-04-01",
    }
    request = urllib.request.Request(
        f"http://127.0.0.1:{bot.rasa_port}{WEBHOOK_PATH}",
        data=urllib.parse.urlencode(params).encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            HEADER: sign(PUBLIC_URL + WEBHOOK_PATH, params, TEST_AUTH_TOKEN),
        },
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        assert response.status == 200
    # The webhook may answer before the replies are sent: wait for the message to be handled
    # (its record was written on receipt; an erasure deletes it: handled too).
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        with session_scope(engine) as s:
            status = s.execute(sa.select(InboundMessage.status).where(InboundMessage.message_sid == sid)).scalar()
        if status != "received":
            break
        time.sleep(0.3)
    with session_scope(engine) as s:
        bodies = (
            s.execute(
                sa.select(OutboundMessage.body)
                .where(
                    OutboundMessage.to_hash == phone_hash(from_e164, HASH_KEY),
                    OutboundMessage.id > before,
                )
                .order_by(OutboundMessage.id)
            )
            .scalars()
            .all()
        )
    engine.dispose()
    return "\n".join(bodies)


def stored_events(bot, sender_id: str) -> str:
    engine = engine_of(bot)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender_id})
        text = "\n".join(json.dumps(json.loads(row[0]), ensure_ascii=False) for row in rows)
    engine.dispose()
    return text
