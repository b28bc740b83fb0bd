"""Retrain requests, the model in service and the history: database only.

The desk (Python 3.12, no Rasa) records a request and rolls back through these functions;
the worker (`python -m bot retrain --worker`, Rasa side) claims the request, trains and
records the outcome. One request at a time: the row's `active` column is unique, so a
second request fails to insert whatever the process (`RetrainBusy`).
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db import utcnow
from bot.retrain.models import ModelStatus, ModelVersion


class RetrainBusy(Exception):
    """A retrain is already waiting or running."""


class NoPreviousModel(Exception):
    """Nothing to roll back to."""


def request_retrain(
    session: Session, source: str, user_id: int | None = None, user_name: str | None = None
) -> ModelVersion:
    """Record a request (committed); RetrainBusy when one is waiting or running."""
    row = ModelVersion(
        source=source, status=ModelStatus.REQUESTED, active=1, requested_by=user_id, requested_by_name=user_name
    )
    session.add(row)
    try:
        session.commit()
    except IntegrityError as error:
        session.rollback()
        raise RetrainBusy() from error
    return row


def active_request(session: Session) -> ModelVersion | None:
    return session.execute(select(ModelVersion).where(ModelVersion.active == 1)).scalar_one_or_none()


def claim(session: Session) -> ModelVersion | None:
    """The waiting request, now running (committed); None when there is none.

    The conditional UPDATE makes two workers safe: only one sees its row change.
    """
    row = session.execute(
        select(ModelVersion).where(ModelVersion.active == 1, ModelVersion.status == ModelStatus.REQUESTED)
    ).scalar_one_or_none()
    if row is None:
        return None
    changed = session.execute(
        update(ModelVersion)
        .where(ModelVersion.id == row.id, ModelVersion.status == ModelStatus.REQUESTED)
        .values(status=ModelStatus.RUNNING, started_at=utcnow())
    ).rowcount
    session.commit()
    if not changed:
        return None
    session.refresh(row)
    return row


def serving(session: Session) -> ModelVersion | None:
    return session.execute(select(ModelVersion).where(ModelVersion.serving == 1)).scalar_one_or_none()


def put_in_service(session: Session, row: ModelVersion) -> None:
    """`row` becomes the model in service; the previous one is retired (not committed)."""
    current = serving(session)
    if current is not None and current.id != row.id:
        current.serving = None
        current.status = ModelStatus.RETIRED
        session.flush()
    row.serving, row.status, row.served_at = 1, ModelStatus.IN_SERVICE, utcnow()
    session.flush()


def finish(session: Session, row: ModelVersion, status: str, reason: str | None = None) -> None:
    """The request is over (in service, refused or failed): a new one may come (committed)."""
    if status == ModelStatus.IN_SERVICE:
        put_in_service(session, row)
    else:
        row.status = status
    row.reason, row.active, row.finished_at = reason, None, utcnow()
    session.commit()


def previous_model(session: Session) -> ModelVersion | None:
    """The model that was in service before the current one (the last retired one)."""
    current = serving(session)
    query = select(ModelVersion).where(ModelVersion.status == ModelStatus.RETIRED, ModelVersion.path.is_not(None))
    if current is not None:
        query = query.where(ModelVersion.id != current.id)
    return session.execute(
        query.order_by(ModelVersion.served_at.desc(), ModelVersion.id.desc()).limit(1)
    ).scalar_one_or_none()


def rollback(session: Session, user_name: str | None = None) -> ModelVersion:
    """The previous model back in service (committed); Rasa pulls it at its next poll."""
    previous = previous_model(session)
    if previous is None:
        raise NoPreviousModel()
    current = serving(session)
    put_in_service(session, previous)
    if current is not None:
        current.reason = (
            f"remplacé par le modèle n° {previous.id} (retour en arrière{', ' + user_name if user_name else ''})"
        )
    session.commit()
    return previous


def history(session: Session, limit: int = 30) -> list[ModelVersion]:
    return list(session.execute(select(ModelVersion).order_by(ModelVersion.id.desc()).limit(limit)).scalars())
