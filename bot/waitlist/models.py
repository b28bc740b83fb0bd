"""Waitlist entries and the offers of freed seats made to them.

An entry is a resident who wants a slot earlier than `before` (their current
appointment's start, or the first slot they were offered), at one of
`place_ids` (their place or neighbourhood; empty: any place), for a
thematique. It lasts until `expires_at` (the day of their current
appointment, or WAITLIST_DAYS). An offer is one freed seat texted to one
entry; at most WAITLIST_OFFER_BATCH offers of one seat wait at a time, each
for WAITLIST_OFFER_MINUTES. The seat itself is taken through bot/handoff/
(the unique seat constraint decides who wins): these tables never hold a
seat. No phone number here: the entry names its resident, and the number's
keyed hash finds the offer when the OUI comes back.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Integer, String, UniqueConstraint

from bot.db import Base, EnumText, utcnow
from bot.enums import StrEnum


class EntryStatus(StrEnum):
    ACTIVE = "active"  # on the list
    SERVED = "served"  # took a freed seat: off the list
    REMOVED = "removed"  # removed from the desk
    EXPIRED = "expired"  # past its date, or its appointment is no longer to come


class OfferStatus(StrEnum):
    PENDING = "pending"  # texted, waiting for OUI
    TAKEN = "taken"  # the OUI won the seat
    MISSED = "missed"  # the OUI came after the seat was taken: still on the list
    REFUSED = "refused"  # NON: not this slot; still on the list, the next residents get their chance
    EXPIRED = "expired"  # no answer in time: the next residents get their chance


class WaitlistEntry(Base):
    __tablename__ = "waitlist_entries"

    id = Column(Integer, primary_key=True)
    resident_id = Column(Integer, ForeignKey("residents.id", ondelete="CASCADE"), nullable=False, index=True)
    phone_hash = Column(String(64), nullable=False, index=True)
    place_ids = Column(JSON, nullable=False, default=list)
    thematique = Column(String(60), nullable=True)
    kind = Column(String(20), nullable=False, default="individuel")
    route = Column(String(40), nullable=True)
    triage = Column(JSON, nullable=False, default=dict)  # redacted, for the ticket of a new booking
    appointment_id = Column(Integer, ForeignKey("appointments.id", ondelete="SET NULL"), nullable=True)
    before = Column(DateTime(timezone=True), nullable=False)
    expires_at = Column(DateTime(timezone=True), nullable=False)
    status = Column(EnumText(EntryStatus), nullable=False, default=EntryStatus.ACTIVE, index=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    ended_at = Column(DateTime(timezone=True), nullable=True)
    ended_by = Column(String(80), nullable=True)


class WaitlistOffer(Base):
    __tablename__ = "waitlist_offers"
    __table_args__ = (UniqueConstraint("entry_id", "permanence_id", "start", name="uq_waitlist_offers_entry_slot"),)

    id = Column(Integer, primary_key=True)
    entry_id = Column(Integer, ForeignKey("waitlist_entries.id", ondelete="CASCADE"), nullable=False, index=True)
    permanence_id = Column(Integer, ForeignKey("permanences.id", ondelete="CASCADE"), nullable=False)
    start = Column(DateTime(timezone=True), nullable=False)
    status = Column(EnumText(OfferStatus), nullable=False, default=OfferStatus.PENDING, index=True)
    sent_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    expires_at = Column(DateTime(timezone=True), nullable=False)
    answered_at = Column(DateTime(timezone=True), nullable=True)
