"""The statistics' weekly counters (bot/review/models.py), incremented by the action server.

`count_outcome` after each help question (answered, clarified, declined, not understood);
`count_feedback` when "Cette réponse vous aide ?" is asked and answered. An increment is one
UPDATE, or an INSERT when the week's row does not exist yet (a concurrent INSERT of the same
row by another action server process is caught and becomes the UPDATE).
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db import utcnow
from bot.review.models import AnswerFeedbackCount, TurnOutcome, TurnOutcomeCount

FEEDBACK_FIELDS = ("asked", "yes", "no")


def iso_week(when: datetime | date) -> str:
    year, week, _ = when.isocalendar()
    return f"{year}-W{week:02d}"


def _increment(session: Session, model, keys: dict, field: str) -> None:
    column = getattr(model, field)
    where = [getattr(model, name) == value for name, value in keys.items()]
    update = sa.update(model).where(*where).values({field: column + 1}).execution_options(synchronize_session=False)
    if session.execute(update).rowcount:
        return
    defaults = {name: 0 for name in ("count", *FEEDBACK_FIELDS) if hasattr(model, name)}
    try:
        with session.begin_nested():
            session.add(model(**keys, **{**defaults, field: 1}))
    except IntegrityError:
        session.execute(update)


def count_outcome(session: Session, outcome: TurnOutcome | str, now: datetime | None = None) -> None:
    _increment(
        session, TurnOutcomeCount, {"week": iso_week(now or utcnow()), "outcome": str(TurnOutcome(outcome))}, "count"
    )


def count_feedback(session: Session, answer_key: str, field: str, now: datetime | None = None) -> None:
    """field: "asked", "yes" or "no"."""
    if field not in FEEDBACK_FIELDS:
        raise ValueError(field)
    _increment(session, AnswerFeedbackCount, {"week": iso_week(now or utcnow()), "answer_key": answer_key[:120]}, field)
