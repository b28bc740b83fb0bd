"""Tickets and their history of events.

A ticket's status is its own workflow, the desk's handling of a request:
new, taken in hand, closed. What happened to the appointment (seen, no-show,
cancelled by whom) is the appointment's status (bot/booking/models.py), not
the ticket's. Only bot/handoff/ writes these tables.
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from bot.db import Base, EnumText, utcnow
from bot.enums import StrEnum


class TicketStatus(StrEnum):
    NOUVEAU = "nouveau"  # not yet looked at by a conseiller
    CONFIRME = "confirme"  # a conseiller has it in hand
    CLOS = "clos"  # the outcome is recorded, or the appointment was cancelled or missed


class EventKind(StrEnum):
    CREATED = "created"
    STATUS = "status"  # the ticket's workflow moved
    ATTENDANCE = "attendance"  # the appointment's outcome: seen, noshow, or back to booked
    CANCELLED = "cancelled"  # the appointment was cancelled (by the person or the service)
    MOVED = "moved"
    OUTCOME = "outcome"  # the Coop activity report was recorded
    SMS = "sms"
    SMS_REFUSED = "sms_refused"
    SMS_FAILURE = "sms_failure"
    NOTE = "note"
    CONVERSATION_TAKEN = "conversation_taken"  # a conseiller holds the conversation (bot/conversations)
    CONVERSATION_MESSAGE = "conversation_message"  # the conseiller wrote to the resident (no text kept here)
    CONVERSATION_RETURNED = "conversation_returned"  # handed back to the assistant
    PRESCRIBED = "prescribed"  # booked from the desk by a partner (prescripteur) for the resident


class CancelledBy(StrEnum):
    RESIDENT = "resident"
    SERVICE = "service"


class Ticket(Base):
    __tablename__ = "tickets"

    id = Column(Integer, primary_key=True)
    resident_id = Column(Integer, ForeignKey("residents.id", ondelete="SET NULL"), nullable=True, index=True)
    appointment_id = Column(Integer, ForeignKey("appointments.id"), nullable=True, index=True)
    place_id = Column(Integer, ForeignKey("places.id"), nullable=True, index=True)
    status = Column(EnumText(TicketStatus), nullable=False, default=TicketStatus.NOUVEAU)
    thematique = Column(String(60), nullable=True)
    route = Column(String(40), nullable=True)
    triage = Column(JSON, nullable=False, default=dict)
    activity_report = Column(JSON, nullable=False, default=dict)  # draft, Coop fields
    bot_answers = Column(JSON, nullable=False, default=list)
    transcript_excerpt = Column(Text, nullable=True)  # redacted
    delivery_problem = Column(Boolean, nullable=False, default=False)
    # Booked by a partner for the resident (bot/handoff/prescription.py): who, and for which structure.
    prescriber_user_id = Column(Integer, ForeignKey("desk_users.id", ondelete="SET NULL"), nullable=True, index=True)
    prescriber_structure = Column(String(200), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)

    events = relationship("TicketEvent", order_by="TicketEvent.id", cascade="all, delete-orphan")
    appointment = relationship("Appointment")


class TicketEvent(Base):
    __tablename__ = "ticket_events"

    id = Column(Integer, primary_key=True)
    ticket_id = Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False, index=True)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    actor = Column(String(80), nullable=False)  # "assistant", "resident", a conseiller's name
    kind = Column(EnumText(EventKind, 40), nullable=False)
    detail = Column(JSON, nullable=False, default=dict)
