"""The review inbox's messages (bot/review/) in erasure, the access export and retention."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from bot.data_rights.erasure import erase_conversation, erase_phone
from bot.data_rights.export import export_for_phone
from bot.data_rights.retention import RetentionPolicy, purge
from bot.db import session_scope
from bot.privacy.hashing import phone_hash
from bot.residents import resident_for_conversation, resident_for_phone, sms_conversation_id
from bot.review.capture import capture
from bot.review.counters import count_feedback, count_outcome
from bot.review.models import AnswerFeedbackCount, ReviewItem, TurnOutcomeCount
from bot.settings import get_settings
from tests.support.live_bot import TEST_SECRETS

HASH_KEY = TEST_SECRETS["HASH_KEY"]

ALICE, BOB = "+33612345678", "+33698765432"


def conversations_with_items(engine) -> list[str]:
    with session_scope(engine) as session:
        return sorted(session.execute(sa.select(ReviewItem.conversation_id)).scalars())


def build(engine) -> None:
    with session_scope(engine) as session:
        resident_for_phone(session, ALICE, HASH_KEY)
        resident_for_phone(session, BOB, HASH_KEY)
        web = resident_for_conversation(session, "web:alice-browser")  # Alice gave her number in the widget
        web.phone_e164, web.phone_hash = ALICE, phone_hash(ALICE, HASH_KEY)
        capture(
            session,
            conversation_id=sms_conversation_id(ALICE, HASH_KEY),
            reason="declined",
            text="comment avoir zebulon sur mon téléphone",
            context="Bonjour !",
        )
        capture(
            session,
            conversation_id="web:alice-browser",
            reason="feedback_no",
            text="ma boite zebulon",
            answered_with="faq_email/spams",
        )
        capture(session, conversation_id=sms_conversation_id(BOB, HASH_KEY), reason="fallback", text="xylophone")
        count_outcome(session, "decline")
        count_feedback(session, "faq_email/spams", "no")


def test_the_access_export_includes_the_review_items(privacy_db):
    build(privacy_db)
    with session_scope(privacy_db) as session:
        data = export_for_phone(session, ALICE, HASH_KEY)
    json.dumps(data)
    assert sorted(i["text"] for i in data["review_items"]) == [
        "comment avoir zebulon sur mon téléphone",
        "ma boite zebulon",
    ]
    assert {i["reason"] for i in data["review_items"]} == {"declined", "feedback_no"}
    assert "xylophone" not in json.dumps(data)


def test_erasure_removes_the_residents_review_items_and_keeps_the_others_and_the_counters(privacy_db):
    build(privacy_db)
    with session_scope(privacy_db) as session:
        report = erase_phone(session, ALICE, HASH_KEY)
    assert report.review_items == 2
    assert conversations_with_items(privacy_db) == [sms_conversation_id(BOB, HASH_KEY)]
    with session_scope(privacy_db) as session:
        assert session.execute(sa.select(TurnOutcomeCount.count)).scalar_one() == 1  # nothing of a person
        assert session.execute(sa.select(AnswerFeedbackCount.no)).scalar_one() == 1
        report = erase_conversation(session, sms_conversation_id(BOB, HASH_KEY))
    assert report.review_items == 1 and conversations_with_items(privacy_db) == []


def test_retention_purges_review_items_older_than_the_conversation_period(privacy_db):
    now = datetime.now(timezone.utc)
    days = get_settings().retention_conversation_days
    with session_scope(privacy_db) as session:
        capture(
            session,
            conversation_id="web:old",
            reason="declined",
            text="une vieille question",
            now=now - timedelta(days=days + 1),
        )
        old = capture(
            session,
            conversation_id="web:old-labelled",
            reason="declined",
            text="une autre",
            now=now - timedelta(days=days + 3),
        )
        old.label = "missing"
        capture(
            session,
            conversation_id="web:recent",
            reason="declined",
            text="une question récente",
            now=now - timedelta(days=days - 1),
        )
        count_outcome(session, "answer", now=now - timedelta(days=days + 30))
    with session_scope(privacy_db) as session:
        report = purge(session, policy=RetentionPolicy.of(get_settings()))
    assert report.review_items_deleted == 2
    assert conversations_with_items(privacy_db) == ["web:recent"]
    with session_scope(privacy_db) as session:
        assert session.execute(sa.select(sa.func.count()).select_from(TurnOutcomeCount)).scalar_one() == 1
        assert purge(session, policy=RetentionPolicy.of(get_settings())).review_items_deleted == 0
