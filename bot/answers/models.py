"""Tables of the living answers.

- `answers`: one row per response of the domain (`utter_faq_email/spams`): its
  variations exactly as Rasa reads them (text, channel, condition, buttons...), the
  repository's version it was last seeded from (to tell a desk edit from a change
  in git), its sources and the date someone last checked it.
- `answer_versions`: every change (seed, edit, revert, repository update, check),
  with who, when, before and after.
- `answer_references`: URLs and phone numbers added from the desk with their source,
  next to `data/references.yml`; `export` appends them to that file.
- `answer_revision`: one counter, raised by every change, so that each Rasa process
  knows in one small query whether its copy of the answers is still current.
- `place_reviews`: when a place's public information was last checked, and by whom.
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from bot.db import Base, utcnow


class Answer(Base):
    __tablename__ = "answers"

    id = Column(Integer, primary_key=True)
    key = Column(String(200), nullable=False, unique=True)  # the response name, utter_...
    domain_file = Column(String(200), nullable=False)  # bot/domain/faq_email.yml
    variations = Column(JSON, nullable=False)  # list of Rasa response variations
    seeded = Column(JSON, nullable=False, default=dict)  # {"variations": [...], "sources": [...]} from git
    sources = Column(JSON, nullable=False, default=list)  # list of str
    checked_on = Column(Date, nullable=True)
    checked_by = Column(String(200), nullable=True)
    retired = Column(Boolean, nullable=False, default=False)  # no longer in the repository
    version = Column(Integer, nullable=False, default=1)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_by = Column(String(200), nullable=False, default="seed")

    versions = relationship(
        "AnswerVersion", back_populates="answer", order_by="AnswerVersion.number", cascade="all, delete-orphan"
    )


class AnswerVersion(Base):
    __tablename__ = "answer_versions"

    id = Column(Integer, primary_key=True)
    answer_id = Column(Integer, ForeignKey("answers.id", ondelete="CASCADE"), nullable=False, index=True)
    number = Column(Integer, nullable=False)
    kind = Column(String(20), nullable=False)  # seed | edit | revert | repository | checked
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    by = Column(String(200), nullable=False)
    before = Column(JSON, nullable=True)  # {"variations": ..., "sources": ...}
    after = Column(JSON, nullable=True)
    note = Column(Text, nullable=True)

    answer = relationship("Answer", back_populates="versions")


class AnswerReference(Base):
    __tablename__ = "answer_references"

    id = Column(Integer, primary_key=True)
    value = Column(String(300), nullable=False, unique=True)
    kind = Column(String(10), nullable=False)  # url | phone
    what = Column(String(300), nullable=False)
    source = Column(String(500), nullable=False)
    added_by = Column(String(200), nullable=False)
    added_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class AnswerRevision(Base):
    __tablename__ = "answer_revision"

    id = Column(Integer, primary_key=True)
    value = Column(Integer, nullable=False, default=0)


class PlaceReview(Base):
    __tablename__ = "place_reviews"

    id = Column(Integer, primary_key=True)
    place_slug = Column(String(100), nullable=False, unique=True)
    checked_on = Column(Date, nullable=True)
    checked_by = Column(String(200), nullable=True)
