"""The figures of the desk's "Apprentissage" statistics page (coordinateur).

- by ISO week, the shares of help questions answered / clarified / declined / not understood,
  from the counters the action server increments (bot/review/counters.py);
- "Oui" / "Non" to "Cette réponse vous aide ?" per answer, from the same counters;
- the most frequent unanswered needs by thematique: review items labelled "réponse
  manquante", and declined messages not reviewed yet (a declined message labelled with an
  answer, hors sujet or ignored is not a missing answer), grouped by fingerprint.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.review.models import AnswerFeedbackCount, ReviewItem, ReviewLabel, ReviewReason, TurnOutcome, TurnOutcomeCount

OUTCOMES = (TurnOutcome.ANSWER, TurnOutcome.CLARIFY, TurnOutcome.DECLINE, TurnOutcome.FALLBACK)


@dataclass
class Week:
    week: str
    counts: dict = field(default_factory=dict)  # outcome -> count

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def share(self, outcome: str) -> float:
        return self.counts.get(str(outcome), 0) / self.total if self.total else 0.0


@dataclass
class AnswerFeedback:
    answer_key: str
    asked: int
    yes: int
    no: int

    @property
    def replies(self) -> int:
        return self.yes + self.no

    @property
    def yes_rate(self) -> float | None:
        return self.yes / self.replies if self.replies else None

    @property
    def no_rate(self) -> float | None:
        return self.no / self.replies if self.replies else None


@dataclass
class Need:
    text: str  # the newest message of the group (redacted)
    count: int


@dataclass
class ThematiqueNeeds:
    thematique: str | None
    count: int
    needs: list[Need]


def weekly_outcomes(session: Session, weeks: int = 12) -> list[Week]:
    """The latest `weeks` ISO weeks that have counts, oldest first."""
    rows = session.execute(sa.select(TurnOutcomeCount.week, TurnOutcomeCount.outcome, TurnOutcomeCount.count)).all()
    by_week: dict[str, Week] = {}
    for week, outcome, count in rows:
        entry = by_week.setdefault(week, Week(week))
        entry.counts[outcome] = entry.counts.get(outcome, 0) + count
    return [by_week[w] for w in sorted(by_week)[-weeks:]]


def feedback_per_answer(session: Session, first_week: str | None = None) -> list[AnswerFeedback]:
    """Per answer, summed over the weeks from `first_week` (all when None); the most "Non" first."""
    query = sa.select(
        AnswerFeedbackCount.answer_key,
        sa.func.sum(AnswerFeedbackCount.asked),
        sa.func.sum(AnswerFeedbackCount.yes),
        sa.func.sum(AnswerFeedbackCount.no),
    ).group_by(AnswerFeedbackCount.answer_key)
    if first_week:
        query = query.where(AnswerFeedbackCount.week >= first_week)
    found = [
        AnswerFeedback(key, int(asked or 0), int(yes or 0), int(no or 0))
        for key, asked, yes, no in session.execute(query).all()
    ]
    return sorted(found, key=lambda f: (-f.no, -(f.no_rate or 0), f.answer_key))


def unanswered_needs(session: Session, per_thematique: int = 5) -> list[ThematiqueNeeds]:
    """By thematique, the most frequent needs with no answer; the thematiques with the most first."""
    query = (
        sa.select(ReviewItem)
        .where(
            sa.or_(
                ReviewItem.label == str(ReviewLabel.MISSING),
                sa.and_(ReviewItem.reason == str(ReviewReason.DECLINED), ReviewItem.label.is_(None)),
            )
        )
        .order_by(ReviewItem.id.desc())
    )
    groups: dict[str | None, dict[str, list[ReviewItem]]] = defaultdict(dict)
    for item in session.execute(query).scalars():
        groups[item.thematique].setdefault(item.similar_key, []).append(item)
    result = []
    for thematique, by_key in groups.items():
        needs = sorted((Need(items[0].text, len(items)) for items in by_key.values()), key=lambda n: -n.count)
        result.append(ThematiqueNeeds(thematique, sum(n.count for n in needs), needs[:per_thematique]))
    return sorted(result, key=lambda t: (-t.count, t.thematique or "~"))
