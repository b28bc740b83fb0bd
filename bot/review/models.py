"""The review inbox's table (issue 17): one row per message worth a human look.

Only redacted text is stored (bot/privacy/redaction.py), with the conversation id
(`sms:<keyed hash>`, `web:<uuid>`) so that erasure, retention and the access export
reach it like the other conversation tables.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint

from bot.db import Base, utcnow
from bot.enums import StrEnum


class ReviewReason(StrEnum):
    FALLBACK = "fallback"  # nothing came near: "reformulez"
    DECLINED = "declined"  # "je n'ai pas cette réponse"
    CLARIFY_OTHER = "clarify_other"  # "vous voulez dire... ?" then "autre chose"
    FEEDBACK_NO = "feedback_no"  # "Cette réponse vous aide ?" -> 2 Non
    SMALL_MARGIN = "small_margin"  # answered, but the second candidate was close


class ReviewLabel(StrEnum):
    ANSWER = "answer"  # label_answer holds the right answer key / intent
    MISSING = "missing"  # réponse manquante: a need the catalogue has no answer for
    OFF_TOPIC = "off_topic"  # hors sujet
    IGNORE = "ignore"  # ignorer


class ReviewItem(Base):
    __tablename__ = "review_items"

    id = Column(Integer, primary_key=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    conversation_id = Column(String(100), nullable=False, index=True)
    channel = Column(String(12), nullable=False)  # sms | web | twilio_voice
    reason = Column(String(20), nullable=False, index=True)  # ReviewReason
    text = Column(Text, nullable=False)  # the resident's message, redacted before storage
    context = Column(Text, nullable=True)  # the bot's message just before it (redacted)
    # [{"answer": "faq_email/spams", "confidence": 0.41}, ...] best first, up to 3
    candidates = Column(JSON, nullable=False, default=list)
    answered_with = Column(String(120), nullable=True)  # the answer key given, if any
    thematique = Column(String(60), nullable=True)  # of the best candidate (bot/coop.py values)
    similar_key = Column(String(64), nullable=False, index=True)  # fingerprint: counts similar messages
    label = Column(String(20), nullable=True, index=True)  # ReviewLabel; empty while unreviewed
    label_answer = Column(String(120), nullable=True)  # answer key or intent when label == answer
    labelled_by = Column(Integer, ForeignKey("desk_users.id", ondelete="SET NULL"), nullable=True)
    labelled_at = Column(DateTime(timezone=True), nullable=True)
    exported_at = Column(DateTime(timezone=True), nullable=True)  # written into data/nlu/ by export-reviewed


# Counters for the statistics page (bot/review/stats.py), filled by the action server
# (bot/review/counters.py). They count, per ISO week ("2026-W49"), and hold no conversation id,
# no text, nothing of a person: retention and erasure need not reach them, and the figures
# outlive the tracker store's retention (from which they could otherwise be derived).


class TurnOutcome(StrEnum):
    ANSWER = "answer"  # an answer was given
    CLARIFY = "clarify"  # "Votre question porte sur : 1. ... 2. ..."
    DECLINE = "decline"  # "Je n'ai pas de réponse à cette question"
    FALLBACK = "fallback"  # not understood: "pouvez-vous le dire autrement ?"


class TurnOutcomeCount(Base):
    __tablename__ = "review_turn_outcomes"
    __table_args__ = (UniqueConstraint("week", "outcome"),)

    id = Column(Integer, primary_key=True)
    week = Column(String(8), nullable=False)  # ISO week, "2026-W49"
    outcome = Column(String(12), nullable=False)  # TurnOutcome
    count = Column(Integer, nullable=False, default=0)


class AnswerFeedbackCount(Base):
    __tablename__ = "review_answer_feedback"
    __table_args__ = (UniqueConstraint("week", "answer_key"),)

    id = Column(Integer, primary_key=True)
    week = Column(String(8), nullable=False)
    answer_key = Column(String(120), nullable=False)  # "faq_email/spams"
    asked = Column(Integer, nullable=False, default=0)  # "Cette réponse vous aide ?" sent
    yes = Column(Integer, nullable=False, default=0)
    no = Column(Integer, nullable=False, default=0)
