"""Buttons, the SMS way: numbered choices, and the person's "1", "2"... mapped back.

A phone has no buttons. A response with buttons becomes its text followed by
one numbered line per button; when the text already numbers its choices (the
slot offer does), it is sent as it is and each numbered line is matched to
its button by title. The payloads are remembered per number in the database
(any Rasa process may get the answer), replaced by every reply, and forgotten
after a few hours, so that a later "2" is not read as an old choice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.sms.models import PendingChoices
from bot.texts import sms as texts

NUMBERED_LINE = re.compile(r"(?m)^\s*(\d{1,2})\s*[.)]\s+(.+?)\s*$")
NUMBER_REPLY = re.compile(r"^\s*(?:n\s*[°o]?\s*)?(\d{1,2})\s*[.)!]?\s*$", re.IGNORECASE)
CHOICES_TTL = timedelta(hours=4)


@dataclass(frozen=True)
class Rendered:
    text: str
    choices: dict = field(default_factory=dict)  # "1" -> payload


def render(text: str, buttons: list[dict] | None) -> Rendered:
    """The SMS text of a response with buttons, and what each number stands for."""
    text = text or ""
    if not buttons:
        return Rendered(text, {})
    numbered = NUMBERED_LINE.findall(text)
    if numbered:
        choices = {}
        for number, line in numbered:
            for button in buttons:
                title = (button.get("title") or "").strip()
                if title and title in line:
                    choices[number] = button.get("payload") or title
                    break
        return Rendered(text, choices)
    lines = [f"{i}. {b.get('title') or b.get('payload')}" for i, b in enumerate(buttons, start=1)]
    body = "\n".join([text.rstrip(), *lines, texts.choose_by_number_text()]).strip()
    return Rendered(body, {str(i): b.get("payload") or b.get("title") for i, b in enumerate(buttons, start=1)})


def remember(session: Session, phone_hash: str, choices: dict) -> None:
    """Keep the choices just sent to this number (none: forget the previous ones)."""
    session.execute(delete(PendingChoices).where(PendingChoices.phone_hash == phone_hash))
    if not choices:
        return
    try:
        with session.begin_nested():
            session.add(
                PendingChoices(phone_hash=phone_hash, choices=dict(choices), updated_at=datetime.now(timezone.utc))
            )
    except IntegrityError:
        pass  # another process answered this number at the same moment; its choices win


def resolve(session: Session, phone_hash: str, text: str, now: datetime | None = None) -> str:
    """The payload behind a reply "2" to the last numbered choices, else the text itself."""
    match = NUMBER_REPLY.match(text or "")
    if not match:
        return text
    pending = session.execute(
        select(PendingChoices).where(PendingChoices.phone_hash == phone_hash)
    ).scalar_one_or_none()
    if pending is None:
        return text
    updated = pending.updated_at
    if updated.tzinfo is None:  # SQLite gives naive datetimes back
        updated = updated.replace(tzinfo=timezone.utc)
    if (now or datetime.now(timezone.utc)) - updated > CHOICES_TTL:
        return text
    return (pending.choices or {}).get(str(int(match.group(1))), text)
