"""Appointments and the seats that guarantee a slot's capacity.

A slot of capacity N has seats 1..N. Booking inserts the first free seat;
the UNIQUE constraint on (permanence, start, seat) makes the database, not
the code, refuse a second booking of the same seat, whatever the number of
Rasa or action-server processes. Cancelling deletes the seat: the slot is
free again at once.
"""
from __future__ import annotations


from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import relationship

from bot.db import Base, utcnow



class Appointment(Base):
    __tablename__ = "appointments"

    id = Column(Integer, primary_key=True)
    resident_id = Column(Integer, ForeignKey("residents.id", ondelete="CASCADE"), nullable=False, index=True)
    permanence_id = Column(Integer, ForeignKey("permanences.id"), nullable=False, index=True)
    place_id = Column(Integer, ForeignKey("places.id"), nullable=False)
    start = Column(DateTime(timezone=True), nullable=False, index=True)
    end = Column(DateTime(timezone=True), nullable=False)
    status = Column(String(20), nullable=False, default="booked")  # booked|cancelled|done|no_show
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    cancelled_at = Column(DateTime(timezone=True), nullable=True)
    reminder_sent_at = Column(DateTime(timezone=True), nullable=True)

    permanence = relationship("Permanence")
    place = relationship("Place")


class SlotSeat(Base):
    __tablename__ = "slot_seats"
    __table_args__ = (UniqueConstraint("permanence_id", "start", "seat", name="uq_slot_seats_seat"),)

    id = Column(Integer, primary_key=True)
    permanence_id = Column(Integer, ForeignKey("permanences.id"), nullable=False)
    start = Column(DateTime(timezone=True), nullable=False)
    seat = Column(Integer, nullable=False)
    appointment_id = Column(
        Integer, ForeignKey("appointments.id", ondelete="CASCADE"), nullable=False, unique=True
    )
