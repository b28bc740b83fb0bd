"""The history of models: each trained (or deployed) model, its figures and what became of it.

Two nullable unique columns hold the invariants across processes and databases (SQLite and
PostgreSQL accept any number of NULLs in a unique column):
- `active` is 1 on the one request waiting or running: a second request fails to insert;
- `serving` is 1 on the one model in service (what the model server hands to Rasa).
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Integer, String, Text

from bot.db import Base, utcnow
from bot.enums import StrEnum


class ModelStatus(StrEnum):
    REQUESTED = "requested"  # waiting for the worker
    RUNNING = "running"  # training and evaluating
    IN_SERVICE = "in_service"  # the model Rasa serves
    RETIRED = "retired"  # was in service, replaced by a later one or rolled back
    REFUSED = "refused"  # worse than the model in service on some figure: never served
    FAILED = "failed"  # training or evaluation failed


class ModelVersion(Base):
    __tablename__ = "model_versions"

    id = Column(Integer, primary_key=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    requested_by = Column(Integer, ForeignKey("desk_users.id", ondelete="SET NULL"), nullable=True)
    requested_by_name = Column(String(120), nullable=True)  # kept when the account goes
    source = Column(String(20), nullable=False)  # desk | cli | deployed (the model of the image)
    status = Column(String(20), nullable=False, index=True)  # ModelStatus
    active = Column(Integer, nullable=True, unique=True)  # 1 while requested or running
    serving = Column(Integer, nullable=True, unique=True)  # 1 on the model in service
    started_at = Column(DateTime(timezone=True), nullable=True)
    finished_at = Column(DateTime(timezone=True), nullable=True)
    served_at = Column(DateTime(timezone=True), nullable=True)  # last put in service
    training_seconds = Column(Integer, nullable=True)
    reviewed_examples = Column(Integer, nullable=True)  # examples from the review inbox trained on
    path = Column(String(500), nullable=True)  # the model file (MODEL_STORE_DIR)
    sha256 = Column(String(64), nullable=True)  # the model file's hash: the ETag Rasa compares
    figures = Column(JSON, nullable=True)  # {set: {figure: value}} of this model
    baseline_id = Column(Integer, nullable=True)  # the model in service it was compared with
    baseline_figures = Column(JSON, nullable=True)  # that model's figures, by the same code
    reason = Column(Text, nullable=True)  # why refused or failed, or who rolled back
