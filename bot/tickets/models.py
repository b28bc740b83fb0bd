"""Tickets and their history of events."""
from __future__ import annotations


from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from bot.db import Base, utcnow

STATUSES = ("nouveau", "confirme", "vu", "absent", "annule", "clos")



class Ticket(Base):
    __tablename__ = "tickets"

    id = Column(Integer, primary_key=True)
    resident_id = Column(Integer, ForeignKey("residents.id", ondelete="SET NULL"), nullable=True, index=True)
    appointment_id = Column(Integer, ForeignKey("appointments.id"), nullable=True, index=True)
    place_id = Column(Integer, ForeignKey("places.id"), nullable=True, index=True)
    status = Column(String(20), nullable=False, default="nouveau")
    thematique = Column(String(60), nullable=True)
    route = Column(String(40), nullable=True)
    triage = Column(JSON, nullable=False, default=dict)
    activity_report = Column(JSON, nullable=False, default=dict)  # draft, Coop fields
    bot_answers = Column(JSON, nullable=False, default=list)
    transcript_excerpt = Column(Text, nullable=True)  # redacted
    delivery_problem = Column(Boolean, nullable=False, default=False)
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
    kind = Column(String(40), nullable=False)  # created, status, sms_failure, note...
    detail = Column(JSON, nullable=False, default=dict)
