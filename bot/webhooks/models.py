"""The webhook tables: subscriptions, the outbox of events, one delivery per (event, subscription).

The product has no "structure" entity: the subscriptions are the service's (the
one structure the settings describe, CITY_NAME / SERVICE_NAME).

A subscription's signing secret is not stored: `secret_nonce` is a random value
from which the secret is derived with the app's HASH_KEY (bot/webhooks/keys.py).
The database alone does not give the secret; a rotation draws a new nonce.
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint

from bot.db import Base, EnumText, utcnow
from bot.enums import StrEnum


class EventType(StrEnum):
    APPOINTMENT_BOOKED = "appointment.booked"
    APPOINTMENT_MOVED = "appointment.moved"
    APPOINTMENT_CANCELLED = "appointment.cancelled"
    APPOINTMENT_SEEN = "appointment.seen"
    APPOINTMENT_NOSHOW = "appointment.noshow"
    TICKET_CREATED = "ticket.created"
    TICKET_CLOSED = "ticket.closed"


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # to send (or to retry at next_attempt_at)
    DELIVERED = "delivered"  # the receiver answered 2xx
    FAILED = "failed"  # every attempt failed; "Renvoyer" in the desk tries again


class WebhookSubscription(Base):
    __tablename__ = "webhook_subscriptions"

    id = Column(Integer, primary_key=True)
    name = Column(String(120), nullable=False)
    url = Column(String(500), nullable=False)
    kinds = Column(JSON, nullable=False, default=list)  # EventType values
    enabled = Column(Boolean, nullable=False, default=True)
    secret_nonce = Column(String(64), nullable=False)
    secret_hint = Column(String(12), nullable=False)  # the secret's last characters, to tell secrets apart
    secret_rotated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    created_by = Column(Integer, ForeignKey("desk_users.id", ondelete="SET NULL"), nullable=True)


class WebhookEvent(Base):
    """The outbox: written by bot/handoff/events.py in the transaction of the change."""

    __tablename__ = "webhook_events"

    id = Column(Integer, primary_key=True)
    uid = Column(String(36), nullable=False, unique=True)  # the event id receivers deduplicate on
    kind = Column(EnumText(EventType, 40), nullable=False)
    occurred_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    appointment_id = Column(Integer, nullable=True, index=True)
    ticket_id = Column(Integer, nullable=True, index=True)
    payload = Column(JSON, nullable=False)
    dispatched_at = Column(DateTime(timezone=True), nullable=True, index=True)  # fanned out to subscriptions


class WebhookDelivery(Base):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (UniqueConstraint("event_id", "subscription_id", name="uq_webhook_deliveries_event_subscription"),)

    id = Column(Integer, primary_key=True)
    uid = Column(String(36), nullable=False, unique=True)  # X-Aidenum-Delivery
    event_id = Column(Integer, ForeignKey("webhook_events.id", ondelete="CASCADE"), nullable=False, index=True)
    subscription_id = Column(
        Integer, ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"), nullable=False, index=True
    )
    status = Column(EnumText(DeliveryStatus), nullable=False, default=DeliveryStatus.PENDING)
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime(timezone=True), nullable=True, index=True)
    last_attempt_at = Column(DateTime(timezone=True), nullable=True)
    last_status_code = Column(Integer, nullable=True)
    last_error = Column(Text, nullable=True)  # ours ("timeout", "HTTP 500"), never the receiver's body
    delivered_at = Column(DateTime(timezone=True), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
