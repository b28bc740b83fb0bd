"""The SMS tables on a real PostgreSQL (migrations 0003 and 0005): idempotency on
MessageSid, numbered choices, opt-outs and the rate limit shared by all processes."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy.exc import IntegrityError

from bot.db import session_scope
from bot.privacy.hashing import phone_hash
from bot.sms import choices
from bot.sms.models import InboundMessage
from bot.sms.opt_out import is_opted_out, opt_in, opt_out
from bot.sms.rate_limit import check_rate
from tests.support.live_bot import TEST_SECRETS

HASH_KEY = TEST_SECRETS["HASH_KEY"]

PHONE = "+33612345678"


def test_sms_state_on_postgresql(pg_engine, monkeypatch):
    key = phone_hash(PHONE, HASH_KEY)
    with session_scope(pg_engine) as s:
        s.add(InboundMessage(message_sid="SMonce", from_hash=key))
    with pytest.raises(IntegrityError):  # a second delivery of the same SMS is refused by the database
        with session_scope(pg_engine) as s:
            s.add(InboundMessage(message_sid="SMonce", from_hash=key))
    with session_scope(pg_engine) as s:
        choices.remember(s, key, {"1": "/book_appointment", "2": "/ask_human"})
        opt_out(s, PHONE, HASH_KEY)
    with session_scope(pg_engine) as s:
        assert choices.resolve(s, key, "2") == "/ask_human"
        assert is_opted_out(s, PHONE, HASH_KEY)
        opt_in(s, PHONE, HASH_KEY)
        assert not check_rate(s, key, datetime.now(timezone.utc), limit=1).limited
        s.add(InboundMessage(message_sid="SMtwice", from_hash=key))
        s.flush()
        assert check_rate(s, key, datetime.now(timezone.utc), limit=1).notify
    with session_scope(pg_engine) as s:
        assert not is_opted_out(s, PHONE, HASH_KEY)
