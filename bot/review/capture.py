"""The one way review items are written: `capture(...)`, called by the action server.

The actions (actions/answers.py, actions/fallback.py) have the parse of the message (its
decision and candidates, bot/nlu/decision.py) and the conversation's events; they call
`capture` when a message fell back, was declined, was clarified then "autre chose", got
"Non" to "Cette réponse vous aide ?", or was answered with a small margin
(top1 - top2 < REVIEW_MARGIN, `small_margin`). Before anything is stored, the message and
its context (the bot's message just before it) lose secrets, e-mail addresses and phone
numbers (bot/privacy/redaction.py `redact_identifiers`).

The helpers over events take Rasa's events as plain dicts (tracker.events), so they are
tested without Rasa.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.classification import thematique_of
from bot.db import utcnow
from bot.privacy.redaction import redact_identifiers
from bot.review.fingerprint import similar_key
from bot.review.models import ReviewItem, ReviewReason

TEXT_LIMIT = 1000
MAX_CANDIDATES = 3  # as bot/nlu/decision.py (not imported: the desk side reads this module)
CHANNELS = {"sms": "sms", "web": "web", "voice": "twilio_voice"}


def channel_of(conversation_id: str, input_channel: str | None = None) -> str:
    """sms | web | twilio_voice (a phone call shares its caller's `sms:` conversation)."""
    if input_channel in ("sms", "web", "twilio_voice"):
        return input_channel
    if input_channel == "twilio_sms":
        return "sms"
    return CHANNELS.get((conversation_id or "").split(":", 1)[0], "web")


def thematique_of_candidates(candidates: list[dict]) -> str | None:
    for candidate in candidates:
        try:
            return thematique_of(candidate["answer"])
        except KeyError:
            continue
    return None


def margin_of(candidates: list[dict]) -> float | None:
    """top1 - top2 of the candidates' confidences (None with fewer than two)."""
    if len(candidates) < 2:
        return None
    return float(candidates[0].get("confidence") or 0.0) - float(candidates[1].get("confidence") or 0.0)


def capture(
    session: Session,
    *,
    conversation_id: str,
    reason: ReviewReason | str,
    text: str,
    context: str | None = None,
    candidates: list[dict] = (),
    answered_with: str | None = None,
    channel: str | None = None,
    now: datetime | None = None,
) -> ReviewItem | None:
    """Store one message for the review inbox (None for an empty message or a button's payload)."""
    text = (text or "").strip()
    if not text or text.startswith("/"):
        return None
    candidates = [
        {"answer": str(c["answer"]), "confidence": round(float(c.get("confidence") or 0.0), 4)}
        for c in list(candidates)[:MAX_CANDIDATES]
    ]
    redacted = redact_identifiers(text)[:TEXT_LIMIT]
    item = ReviewItem(
        created_at=now or utcnow(),
        conversation_id=conversation_id[:100],
        channel=channel_of(conversation_id, channel),
        reason=str(ReviewReason(reason)),
        text=redacted,
        context=redact_identifiers(context)[:TEXT_LIMIT] if context else None,
        candidates=candidates,
        answered_with=answered_with,
        thematique=thematique_of_candidates(candidates),
        similar_key=similar_key(redacted),
    )
    session.add(item)
    session.flush()
    return item


# --- Reading Rasa's events (tracker.events, plain dicts) -------------------------------------


def _is_question(event: dict) -> bool:
    text = (event.get("text") or "").strip()
    if not text or text.startswith("/"):
        return False
    name = ((event.get("parse_data") or {}).get("intent") or {}).get("name") or ""
    return name.startswith("faq_") or name in ("urgence", "nlu_fallback")


def bot_text_before(events: list[dict], index: int) -> str | None:
    """The text of the bot's last message before events[index]."""
    for event in reversed(events[:index]):
        if event.get("event") == "bot" and event.get("text"):
            return event["text"]
    return None


def latest_user_index(events: list[dict]) -> int | None:
    for index in range(len(events) - 1, -1, -1):
        if events[index].get("event") == "user":
            return index
    return None


def latest_message_context(events: list[dict]) -> str | None:
    """The bot's message before the latest user message."""
    index = latest_user_index(events)
    return None if index is None else bot_text_before(events, index)


def previous_question(events: list[dict]) -> tuple[dict, str | None] | None:
    """The help question before the latest user message (which is "Non" or "autre chose"),
    with the bot's message before it: (user event, context) or None."""
    latest = latest_user_index(events)
    if latest is None:
        return None
    for index in range(latest - 1, -1, -1):
        event = events[index]
        if event.get("event") == "user" and _is_question(event):
            return event, bot_text_before(events, index)
    return None
