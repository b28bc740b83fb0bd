"""Appointments and the seats that guarantee a slot's capacity.

A slot of capacity N has seats 1..N. Booking inserts the first free seat;
the UNIQUE constraint on (permanence, start, seat) makes the database, not
the code, refuse a second booking of the same seat, whatever the number of
Rasa or action-server processes; the one on (permanence, start, resident)
refuses a second seat of one session (a workshop) to the same person.
Cancelling deletes the seat: the slot is free again at once.

An appointment's status is its outcome, named as RDV Service Public names
it (`rdv.status`: seen, noshow, excused, revoked; `booked` while it is to
come). Only bot/handoff/ writes these tables.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import relationship

from bot.db import Base, EnumText, utcnow
from bot.enums import StrEnum


class AppointmentStatus(StrEnum):
    BOOKED = "booked"  # to come (RDV-SP: "unknown", not yet recorded)
    SEEN = "seen"  # the person came
    NOSHOW = "noshow"  # the person did not come
    EXCUSED = "excused"  # cancelled by the person
    REVOKED = "revoked"  # cancelled by the service (desk, closure, absence, permanence stopped)

    @classmethod
    def cancelled(cls) -> frozenset["AppointmentStatus"]:
        return frozenset({cls.EXCUSED, cls.REVOKED})

    @classmethod
    def held(cls) -> frozenset["AppointmentStatus"]:
        """The appointment's time came: the person was there or not."""
        return frozenset({cls.SEEN, cls.NOSHOW})


class Appointment(Base):
    __tablename__ = "appointments"

    id = Column(Integer, primary_key=True)
    resident_id = Column(Integer, ForeignKey("residents.id", ondelete="CASCADE"), nullable=False, index=True)
    permanence_id = Column(Integer, ForeignKey("permanences.id"), nullable=False, index=True)
    place_id = Column(Integer, ForeignKey("places.id"), nullable=False)
    start = Column(DateTime(timezone=True), nullable=False, index=True)
    end = Column(DateTime(timezone=True), nullable=False)
    status = Column(EnumText(AppointmentStatus), nullable=False, default=AppointmentStatus.BOOKED)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    cancelled_at = Column(DateTime(timezone=True), nullable=True)
    reminder_sent_at = Column(DateTime(timezone=True), nullable=True)

    permanence = relationship("Permanence")
    place = relationship("Place")


class SlotSeat(Base):
    __tablename__ = "slot_seats"
    __table_args__ = (
        UniqueConstraint("permanence_id", "start", "seat", name="uq_slot_seats_seat"),
        UniqueConstraint("permanence_id", "start", "resident_id", name="uq_slot_seats_resident"),
    )

    id = Column(Integer, primary_key=True)
    permanence_id = Column(Integer, ForeignKey("permanences.id"), nullable=False)
    start = Column(DateTime(timezone=True), nullable=False)
    seat = Column(Integer, nullable=False)
    resident_id = Column(Integer, ForeignKey("residents.id", ondelete="CASCADE"), nullable=True)
    appointment_id = Column(Integer, ForeignKey("appointments.id", ondelete="CASCADE"), nullable=False, unique=True)
