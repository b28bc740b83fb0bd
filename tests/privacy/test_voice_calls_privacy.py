"""The phone line's per-call state is covered by export, erasure and retention."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from bot.data_rights.erasure import erase_conversation, erase_phone
from bot.data_rights.export import export_for_phone
from bot.data_rights.retention import RetentionPolicy, purge
from bot.db import session_scope
from bot.privacy.hashing import keyed_hash, phone_hash
from bot.residents import resident_for_conversation, resident_for_phone, sms_conversation_id
from bot.settings import get_settings
from bot.voice.models import VoiceCall
from tests.support.live_bot import TEST_SECRETS

HASH_KEY = TEST_SECRETS["HASH_KEY"]

ALICE, BOB = "+33612345678", "+33698765432"


def calls(session) -> list[VoiceCall]:
    return list(session.execute(sa.select(VoiceCall).order_by(VoiceCall.id)).scalars())


def add_call(session, e164: str | None, sid: str, started: datetime | None = None) -> None:
    conversation = sms_conversation_id(e164, HASH_KEY) if e164 else "voice:" + keyed_hash("call:" + sid, HASH_KEY)
    session.add(
        VoiceCall(
            call_sid=sid,
            conversation_id=conversation,
            caller_hash=phone_hash(e164, HASH_KEY) if e164 else None,
            turns=4,
            silences=0,
            misunderstood=0,
            status="completed",
            duration_seconds=65,
            last_prompt="Quel est votre prénom ?",
            started_at=started or datetime.now(timezone.utc),
        )
    )


def test_export_lists_the_calls_and_erasure_removes_them(privacy_db):
    with session_scope(privacy_db) as session:
        resident_for_phone(session, ALICE, HASH_KEY)
        resident_for_phone(session, BOB, HASH_KEY)
        add_call(session, ALICE, "CA" + "a" * 32)
        add_call(session, BOB, "CA" + "b" * 32)
    with session_scope(privacy_db) as session:
        data = export_for_phone(session, ALICE, HASH_KEY)
        assert [(c["turns"], c["duration_seconds"], c["status"]) for c in data["voice_calls"]] == [(4, 65, "completed")]
        report = erase_phone(session, ALICE, HASH_KEY)
        assert report.voice_calls == 1
    with session_scope(privacy_db) as session:
        assert [c.caller_hash for c in calls(session)] == [phone_hash(BOB, HASH_KEY)]
        assert export_for_phone(session, ALICE, HASH_KEY)["voice_calls"] == []


def test_a_hidden_callers_erasure_by_voice_removes_their_call(privacy_db):
    sid = "CA" + "c" * 32
    conversation = "voice:" + keyed_hash("call:" + sid, HASH_KEY)
    with session_scope(privacy_db) as session:
        resident_for_conversation(session, conversation)
        add_call(session, None, sid)
    with session_scope(privacy_db) as session:
        assert erase_conversation(session, conversation).voice_calls == 1
        assert calls(session) == []


def test_retention_purges_old_call_state(privacy_db):
    now = datetime.now(timezone.utc)
    with session_scope(privacy_db) as session:
        add_call(session, ALICE, "CA" + "d" * 32, started=now - timedelta(days=400))
        add_call(session, BOB, "CA" + "e" * 32, started=now - timedelta(days=1))
    with session_scope(privacy_db) as session:
        assert purge(session, now=now, policy=RetentionPolicy.of(get_settings())).voice_calls_deleted == 1
    with session_scope(privacy_db) as session:
        assert [c.caller_hash for c in calls(session)] == [phone_hash(BOB, HASH_KEY)]
        assert purge(session, now=now, policy=RetentionPolicy.of(get_settings())).voice_calls_deleted == 0
