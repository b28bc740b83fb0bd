"""What reaches the review inbox, and how: redacted, fingerprinted, with its candidates."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import text

from bot.db import session_scope
from bot.review.capture import capture, channel_of, latest_message_context, margin_of, previous_question
from bot.review.fingerprint import content_stems, similar_key
from bot.review.models import ReviewItem, ReviewReason

CANDIDATES = [
    {"answer": "faq_email/spams", "confidence": 0.41},
    {"answer": "faq_email/boite_pleine", "confidence": 0.3},
    {"answer": "faq_securite_numerique/hameconnage", "confidence": 0.1},
    {"answer": "faq_email/mot_de_passe_oublie", "confidence": 0.05},
]


def test_similar_messages_share_a_fingerprint_and_different_ones_do_not():
    assert similar_key("comment télécharger WhatsApp ?") == similar_key("Télécharger whatsapp, comment ?")
    assert similar_key("mot de passe oublié gmail") == similar_key("J'ai oublié mon mot de passe Gmail")
    assert similar_key("mes photos ne s'envoient pas") == similar_key("Ma photo ne s'envoie pas")
    assert similar_key("comment télécharger WhatsApp") != similar_key("comment télécharger Doctolib")
    assert content_stems("[masqué] je veux le code") == ["code"]
    assert len(similar_key("")) == 64


def test_a_declined_message_is_stored_redacted_phone_email_and_password_masked(db_engine):
    message = (
        "je n'arrive pas à joindre ma banque, mon numéro c'est 06 12 34 56 78, mon mail "
        "jean.dupont@gmail.com et mon mot de passe est Soleil2024"
    )
    with session_scope(db_engine) as session:
        item = capture(
            session,
            conversation_id="sms:abc123",
            reason=ReviewReason.DECLINED,
            text=message,
            context="Bonjour ! Écrivez-moi au 07 98 76 54 32",
            candidates=CANDIDATES,
            channel="twilio_sms",
        )
        item_id = item.id
    with db_engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM review_items WHERE id = :i"), {"i": item_id}).mappings().one()
    stored = " ".join(str(v) for v in row.values())
    for secret in ("06 12 34 56 78", "jean.dupont", "gmail.com", "Soleil2024", "07 98 76 54 32"):
        assert secret not in stored
    assert "[masqué]" in row["text"] and row["text"].startswith("je n'arrive pas à joindre ma banque")
    assert row["reason"] == "declined" and row["channel"] == "sms"
    assert row["thematique"] == "email"  # of the best candidate
    with session_scope(db_engine) as session:
        item = session.get(ReviewItem, item_id)
        assert [c["answer"] for c in item.candidates] == [c["answer"] for c in CANDIDATES[:3]]
        assert item.similar_key == similar_key(item.text)


def test_payloads_and_empty_messages_are_not_captured(db_engine):
    with session_scope(db_engine) as session:
        assert capture(session, conversation_id="web:x", reason="fallback", text="/feedback_no") is None
        assert capture(session, conversation_id="web:x", reason="fallback", text="   ") is None
        assert session.execute(sa.select(sa.func.count()).select_from(ReviewItem)).scalar_one() == 0


def test_channel_and_margin():
    assert channel_of("sms:abc") == "sms" and channel_of("web:1234") == "web"
    assert channel_of("sms:abc", "twilio_voice") == "twilio_voice" and channel_of("voice:x") == "twilio_voice"
    assert round(margin_of(CANDIDATES), 2) == 0.11 and margin_of(CANDIDATES[:1]) is None


EVENTS = [
    {"event": "bot", "text": "Bonjour ! Posez-moi votre question."},
    {"event": "user", "text": "ma boite mail est pleine de pub", "parse_data": {"intent": {"name": "faq_email"}}},
    {"event": "bot", "text": "Pour les spams..."},
    {"event": "bot", "text": "Cette réponse vous aide ?"},
    {"event": "user", "text": "/feedback_no", "parse_data": {"intent": {"name": "feedback_no"}}},
]


def test_the_question_before_a_no_and_its_context_are_found_in_the_events():
    event, context = previous_question(EVENTS)
    assert event["text"] == "ma boite mail est pleine de pub" and context == "Bonjour ! Posez-moi votre question."
    assert latest_message_context(EVENTS) == "Cette réponse vous aide ?"
    assert previous_question(EVENTS[:2]) is None
