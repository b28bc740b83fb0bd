"""Tables of places and permanences.

Field names of `places` follow the national *schéma des lieux de médiation
numérique*; permanences, closures and absences are our own. The city's data
file (data/places/<city>.yml) is loaded into these tables by `python -m bot
places load`; the desk edits them, and the slots offered follow at once.
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from bot.db import Base


def closed_on(row: "Place | Permanence", day) -> bool:
    """A place or a permanence marked closed until a date on or after `day`."""
    return row.closed_until is not None and day <= row.closed_until


class Place(Base):
    __tablename__ = "places"

    id = Column(Integer, primary_key=True)
    slug = Column(String(80), nullable=False, unique=True)
    nom = Column(String(200), nullable=False)
    adresse = Column(String(200), nullable=False)
    code_postal = Column(String(10), nullable=False)
    commune = Column(String(100), nullable=False)
    latitude = Column(Float, nullable=True)
    longitude = Column(Float, nullable=True)
    telephone = Column(String(30), nullable=True)
    horaires = Column(String(300), nullable=True)  # opening_hours syntax
    services = Column(JSON, nullable=False, default=list)
    modalites_acces = Column(JSON, nullable=False, default=list)
    modalites_accompagnement = Column(JSON, nullable=False, default=list)
    prise_rdv = Column(String(300), nullable=True)
    accessibilite = Column(String(300), nullable=True)
    aliases = Column(JSON, nullable=False, default=list)  # neighbourhood words, postcodes
    holidays_country = Column(String(2), nullable=False, default="FR")
    holidays_subdiv = Column(String(10), nullable=True)  # "57" (Moselle): Vendredi saint, 26 décembre
    timezone = Column(String(40), nullable=False, default="Europe/Paris")
    active = Column(Boolean, nullable=False, default=True)
    id_national = Column(String(80), nullable=True)  # the national file's `id`, for refreshes
    checked_on = Column(Date, nullable=True)  # "vérifié le": when its facts were last confirmed
    closed_until = Column(Date, nullable=True)  # inclusive; no slot until then (bot.places.closing)
    closed_reason = Column(String(200), nullable=True)
    # The phone line may transfer a caller to `telephone` during this place's permanences.
    voice_transfer = Column(Boolean, nullable=False, default=False, server_default="0")

    permanences = relationship("Permanence", back_populates="place")


class Conseiller(Base):
    __tablename__ = "conseillers"

    id = Column(Integer, primary_key=True)
    slug = Column(String(80), nullable=False, unique=True)
    name = Column(String(120), nullable=False)
    email = Column(String(200), nullable=True)
    phone_e164 = Column(String(20), nullable=True)
    active = Column(Boolean, nullable=False, default=True)


class Permanence(Base):
    __tablename__ = "permanences"

    id = Column(Integer, primary_key=True)
    slug = Column(String(80), nullable=False, unique=True)
    place_id = Column(Integer, ForeignKey("places.id"), nullable=False, index=True)
    conseiller_id = Column(Integer, ForeignKey("conseillers.id"), nullable=False, index=True)
    kind = Column(String(20), nullable=False, default="individuel")  # individuel | atelier
    title = Column(String(200), nullable=True)
    thematiques = Column(JSON, nullable=True)  # None: every thematique
    slot_minutes = Column(Integer, nullable=False, default=45)
    capacity = Column(Integer, nullable=False, default=1)
    schedule = Column(Text, nullable=False)  # opening_hours syntax
    active = Column(Boolean, nullable=False, default=True)
    closed_until = Column(Date, nullable=True)  # inclusive; no slot until then (bot.places.closing)
    closed_reason = Column(String(200), nullable=True)

    place = relationship("Place", back_populates="permanences")
    conseiller = relationship("Conseiller")


class Closure(Base):
    __tablename__ = "closures"

    id = Column(Integer, primary_key=True)
    place_id = Column(Integer, ForeignKey("places.id"), nullable=False, index=True)
    start_date = Column(Date, nullable=False)
    end_date = Column(Date, nullable=False)  # inclusive
    reason = Column(String(200), nullable=True)


class Absence(Base):
    __tablename__ = "absences"

    id = Column(Integer, primary_key=True)
    conseiller_id = Column(Integer, ForeignKey("conseillers.id"), nullable=False, index=True)
    start = Column(DateTime(timezone=True), nullable=False)
    end = Column(DateTime(timezone=True), nullable=False)
    reason = Column(String(200), nullable=True)
