"""Labelled review items, as the desk's inbox leaves them (bot/review/models.py)."""

from __future__ import annotations

import hashlib

from bot.db import utcnow
from bot.review.models import ReviewItem, ReviewLabel, ReviewReason


def labelled_item(
    session,
    text: str,
    answer: str,
    conversation_id: str = "web:00000000-0000-4000-8000-000000000001",
    label: str = ReviewLabel.ANSWER,
) -> ReviewItem:
    item = ReviewItem(
        conversation_id=conversation_id,
        channel="web",
        reason=ReviewReason.DECLINED,
        text=text,
        candidates=[],
        similar_key=hashlib.sha256(text.encode()).hexdigest()[:64],
        label=label,
        label_answer=answer if label == ReviewLabel.ANSWER else None,
        labelled_at=utcnow(),
    )
    session.add(item)
    session.commit()
    return item
