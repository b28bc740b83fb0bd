"""How often each answer was sent, and what is due for review.

Sends are counted from Rasa's tracker store (the `events` table it shares with our
tables): every bot message it stores carries the response it came from in
`metadata.utter_action` (Rasa's ActionBotResponse sets it, for the answers of the
response selector too: `utter_faq_email/spams`). Conversations are purged after
RETENTION_CONVERSATION_DAYS, so the count covers at most that.

Due: an answer or a place whose last check is older than ANSWER_REVIEW_DAYS, or
never checked; the most-used first. A place's check is the later of its `place_reviews`
row (who and when, marked from the review page) and its own `checked_on` column when the
places table has one.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import func, inspect, select, text
from sqlalchemy.orm import Session

from bot.answers.models import Answer, PlaceReview

USAGE_DAYS = 30


def sent_counts(session: Session, days: int = USAGE_DAYS, now: datetime | None = None) -> Counter:
    """Response name -> bot messages stored in the last `days` days."""
    counts: Counter = Counter()
    bind = session.get_bind()
    if not inspect(bind).has_table("events"):
        return counts
    since = ((now or datetime.now(timezone.utc)) - timedelta(days=days)).timestamp()
    rows = session.execute(
        text("SELECT data FROM events WHERE type_name = 'bot' AND timestamp >= :since AND data LIKE :marker"),
        {"since": since, "marker": "%utter_action%"},
    )
    for (data,) in rows:
        try:
            name = (json.loads(data).get("metadata") or {}).get("utter_action")
        except (TypeError, ValueError):
            continue
        if name:
            counts[name] += 1
    return counts


def is_due(checked_on: date | None, review_days: int, today: date | None = None) -> bool:
    return checked_on is None or checked_on < (today or date.today()) - timedelta(days=review_days)


@dataclass(frozen=True)
class DueItem:
    kind: str  # "answer" | "place"
    key: str  # response name or place slug
    label: str
    checked_on: date | None
    checked_by: str | None
    uses: int


def due_answers(
    session: Session, review_days: int, counts: Counter | None = None, today: date | None = None
) -> list[DueItem]:
    counts = sent_counts(session) if counts is None else counts
    items = [
        DueItem("answer", a.key, a.key.removeprefix("utter_"), a.checked_on, a.checked_by, counts.get(a.key, 0))
        for a in session.execute(select(Answer).where(Answer.retired.is_(False))).scalars()
        if is_due(a.checked_on, review_days, today)
    ]
    return sorted(items, key=lambda i: (-i.uses, i.key))


def due_places(
    session: Session, review_days: int, today: date | None = None, now: datetime | None = None
) -> list[DueItem]:
    from bot.booking.models import Appointment
    from bot.places.models import Place

    since = (now or datetime.now(timezone.utc)) - timedelta(days=USAGE_DAYS)
    uses = dict(
        session.execute(
            select(Appointment.place_id, func.count())
            .where(Appointment.created_at >= since)
            .group_by(Appointment.place_id)
        ).all()
    )
    reviews = {r.place_slug: r for r in session.execute(select(PlaceReview)).scalars()}
    items = []
    for place in session.execute(select(Place)).scalars():
        review = reviews.get(place.slug)
        checked_on = latest(review.checked_on if review else None, getattr(place, "checked_on", None))
        if is_due(checked_on, review_days, today):
            items.append(
                DueItem(
                    "place",
                    place.slug,
                    place.nom,
                    checked_on,
                    review.checked_by if review else None,
                    uses.get(place.id, 0),
                )
            )
    return sorted(items, key=lambda i: (-i.uses, i.key))


def latest(*days: date | None) -> date | None:
    known = [d for d in days if d is not None]
    return max(known) if known else None


def mark_place_checked(session: Session, slug: str, by: str, on: date | None = None) -> PlaceReview:
    """Who checked a place and when; the place's own "vérifié le" too, where the places table has one."""
    from bot.places.models import Place

    place = session.execute(select(Place).where(Place.slug == slug)).scalar_one_or_none()
    if place is not None and hasattr(Place, "checked_on"):
        place.checked_on = on or date.today()
    review = session.execute(select(PlaceReview).where(PlaceReview.place_slug == slug)).scalar_one_or_none()
    if review is None:
        review = PlaceReview(place_slug=slug)
        session.add(review)
    review.checked_on = on or date.today()
    review.checked_by = by[:200]
    session.flush()
    return review
