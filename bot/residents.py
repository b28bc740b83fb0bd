"""Residents: the people who ask for help, known by their conversation.

A resident's Rasa conversation id never holds a plain phone number:
SMS conversations are `sms:<keyed hash>`, web conversations `web:<session id>`.
The phone number itself is kept only here, to send SMS, and can be erased.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String, select
from sqlalchemy.orm import Session

from bot.db import Base, utcnow
from bot.privacy.hashing import phone_hash


class Resident(Base):
    __tablename__ = "residents"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(100), nullable=False, unique=True)
    channel = Column(String(10), nullable=False)  # "sms" or "web"
    phone_e164 = Column(String(20), nullable=True)
    phone_hash = Column(String(64), nullable=True, index=True)
    first_name = Column(String(80), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    last_seen_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


def sms_conversation_id(e164: str, key: str) -> str:
    """`key`: HASH_KEY."""
    return "sms:" + phone_hash(e164, key)


def resident_for_phone(session: Session, e164: str, key: str) -> Resident:
    """The resident texting from this number, created on first contact (`key`: HASH_KEY)."""
    conversation_id = sms_conversation_id(e164, key)
    resident = session.execute(select(Resident).where(Resident.conversation_id == conversation_id)).scalar_one_or_none()
    if resident is None:
        resident = Resident(
            conversation_id=conversation_id,
            channel="sms",
            phone_e164=e164,
            phone_hash=phone_hash(e164, key),
        )
        session.add(resident)
        session.flush()
    else:
        resident.last_seen_at = utcnow()
    return resident


def resident_for_conversation(session: Session, conversation_id: str) -> Resident:
    """The resident of a Rasa conversation (web residents have no phone until they give one)."""
    resident = session.execute(select(Resident).where(Resident.conversation_id == conversation_id)).scalar_one_or_none()
    if resident is None:
        channel = conversation_id.split(":", 1)[0] if ":" in conversation_id else "web"
        resident = Resident(conversation_id=conversation_id, channel=channel[:10])
        session.add(resident)
        session.flush()
    return resident
