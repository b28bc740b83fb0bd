"""Per-call state of the phone line (one row per Twilio CallSid).

What a single call needs between two webhooks and Rasa does not hold: turns
so far, silences and misunderstandings in a row, a choice waiting for the
caller's confirmation, the keypad menu, and the last thing said (repeated
after a silence). The conversation itself stays in Rasa's tracker, keyed like
the caller's SMS conversation, so a call cut short resumes on the next call
or by SMS. Rows hold no phone number (a keyed hash); they are erased with the
resident and purged with the conversations (bot/privacy).
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, Integer, String, Text

from bot.db import Base, utcnow


class VoiceCall(Base):
    __tablename__ = "voice_calls"

    id = Column(Integer, primary_key=True)
    call_sid = Column(String(34), nullable=False, unique=True)
    conversation_id = Column(String(100), nullable=False, index=True)
    caller_hash = Column(String(64), nullable=True, index=True)  # None: a hidden number
    turns = Column(Integer, nullable=False, default=0)
    silences = Column(Integer, nullable=False, default=0)  # in a row
    misunderstood = Column(Integer, nullable=False, default=0)
    mode = Column(String(20), nullable=True)  # None, "menu", "question"
    pending = Column(JSON, nullable=True)  # {"kind": "confirm"|"callback_number", "text": ...}
    choices = Column(JSON, nullable=True)  # key -> {"payload": ..., "title": ...} of the last question
    last_prompt = Column(Text, nullable=True)
    status = Column(String(20), nullable=False, default="in-progress")
    started_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)
    ended_at = Column(DateTime(timezone=True), nullable=True)
    duration_seconds = Column(Integer, nullable=True)
