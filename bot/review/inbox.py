"""The review inbox's queries and its one action, labelling (bot/desk/views/review.py).

Unreviewed items are grouped by `similar_key` (bot/review/fingerprint.py): each group shows
its newest message, how many unreviewed messages it holds, and how many similar messages
came in all; the groups with the most messages come first, then the newest. Labelling an
item may label the unreviewed messages of its group with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.answer_titles import titles
from bot.classification import all_conversational_intents
from bot.db import utcnow
from bot.review.models import ReviewItem, ReviewLabel

LABEL_NAMES = {
    ReviewLabel.ANSWER: "La bonne réponse",
    ReviewLabel.MISSING: "Réponse manquante",
    ReviewLabel.OFF_TOPIC: "Hors sujet",
    ReviewLabel.IGNORE: "Ignorer",
}
REASON_NAMES = {
    "fallback": "Pas compris",
    "declined": "Pas de réponse",
    "clarify_other": "Question posée, puis « Autre chose »",
    "feedback_no": "« Non » à « Cette réponse vous aide ? »",
    "small_margin": "Réponse donnée de justesse",
}
# Intents a message may be labelled with besides the answers: what a resident starts with.
NOT_LABELS = {
    "affirm",
    "deny",
    "skip",
    "choose_answer",
    "not_my_question",
    "feedback_yes",
    "feedback_no",
    "nlu_fallback",
    "urgence",
}


class LabelError(ValueError):
    pass


@dataclass
class Group:
    item: ReviewItem  # the newest unreviewed message of the group
    unreviewed: int  # unreviewed messages of the group
    similar: int  # every message with the same fingerprint (reviewed or not), this one included


def answer_choices() -> list[tuple[str, str]]:
    """(value, label) of the select: every answer key with its title, then the conversational intents."""
    answers = sorted(titles().items(), key=lambda item: item[0])
    intents = sorted(i for i in all_conversational_intents() if i not in NOT_LABELS)
    return [(key, f"{title} ({key})") for key, title in answers] + [(i, f"Intention : {i}") for i in intents]


def is_label_answer(value: str) -> bool:
    return value in dict(answer_choices())


def unreviewed_groups(session: Session, limit: int = 100) -> list[Group]:
    open_items = (
        sa.select(ReviewItem.similar_key, sa.func.count().label("n"), sa.func.max(ReviewItem.id).label("newest"))
        .where(ReviewItem.label.is_(None))
        .group_by(ReviewItem.similar_key)
        .subquery()
    )
    rows = session.execute(
        sa.select(open_items.c.similar_key, open_items.c.n, open_items.c.newest)
        .order_by(open_items.c.n.desc(), open_items.c.newest.desc())
        .limit(limit)
    ).all()
    if not rows:
        return []
    keys = [r.similar_key for r in rows]
    totals = dict(
        session.execute(
            sa.select(ReviewItem.similar_key, sa.func.count())
            .where(ReviewItem.similar_key.in_(keys))
            .group_by(ReviewItem.similar_key)
        ).all()
    )
    items = {
        i.id: i
        for i in session.execute(sa.select(ReviewItem).where(ReviewItem.id.in_([r.newest for r in rows]))).scalars()
    }
    return [Group(items[r.newest], r.n, totals.get(r.similar_key, r.n)) for r in rows]


def unreviewed_count(session: Session) -> int:
    return session.execute(
        sa.select(sa.func.count()).select_from(ReviewItem).where(ReviewItem.label.is_(None))
    ).scalar_one()


def label(
    session: Session,
    item: ReviewItem,
    value: ReviewLabel | str,
    *,
    answer: str | None,
    user_id: int | None,
    with_similar: bool = False,
    now: datetime | None = None,
) -> list[ReviewItem]:
    """Label `item` (and, `with_similar`, the unreviewed messages of its group): the items labelled."""
    try:
        value = ReviewLabel(value)
    except ValueError:
        raise LabelError("étiquette inconnue") from None
    if value == ReviewLabel.ANSWER:
        if not answer or not is_label_answer(answer):
            raise LabelError("choisissez la bonne réponse dans la liste")
    else:
        answer = None
    items = [item]
    if with_similar:
        items += list(
            session.execute(
                sa.select(ReviewItem).where(
                    ReviewItem.similar_key == item.similar_key, ReviewItem.label.is_(None), ReviewItem.id != item.id
                )
            ).scalars()
        )
    when = now or utcnow()
    for each in items:
        each.label, each.label_answer, each.labelled_by, each.labelled_at = str(value), answer, user_id, when
    session.flush()
    return items
