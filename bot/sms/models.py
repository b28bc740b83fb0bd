"""Outbound and inbound SMS records, the opt-out list and the numbered choices
last offered to each number (keyed hashes only)."""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Integer, String, Text

from bot.db import Base, utcnow


class OutboundMessage(Base):
    __tablename__ = "outbound_messages"

    id = Column(Integer, primary_key=True)
    to_hash = Column(String(64), nullable=False, index=True)
    to_e164 = Column(String(20), nullable=True)  # erased with the resident's data
    body = Column(Text, nullable=False)
    purpose = Column(String(20), nullable=False)  # reply|confirmation|reminder|desk|notice
    status = Column(String(20), nullable=False, default="queued")
    twilio_sid = Column(String(64), nullable=True, unique=True)
    segments = Column(Integer, nullable=False, default=1)
    encoding = Column(String(10), nullable=False, default="GSM-7")
    error_code = Column(String(20), nullable=True)
    ticket_id = Column(Integer, ForeignKey("tickets.id", ondelete="SET NULL"), nullable=True, index=True)
    appointment_id = Column(Integer, ForeignKey("appointments.id", ondelete="SET NULL"), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)


ANSWERED = "answered"  # an inbound message's status once the assistant's replies went out


class InboundMessage(Base):
    __tablename__ = "inbound_messages"

    id = Column(Integer, primary_key=True)
    message_sid = Column(String(64), nullable=False, unique=True)
    from_hash = Column(String(64), nullable=False, index=True)
    received_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    status = Column(String(20), nullable=False, default="received")


class OptOut(Base):
    __tablename__ = "opt_outs"

    id = Column(Integer, primary_key=True)
    phone_hash = Column(String(64), nullable=False, unique=True)
    since = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    source = Column(String(20), nullable=False, default="sms")


class PendingChoices(Base):
    """The payloads of the numbered choices last sent to a number: "2" means the second."""

    __tablename__ = "sms_choices"

    id = Column(Integer, primary_key=True)
    phone_hash = Column(String(64), nullable=False, unique=True)
    choices = Column(JSON, nullable=False, default=dict)  # {"1": payload, "2": payload...}
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)
