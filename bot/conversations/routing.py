"""Who reads a resident's message: the assistant, or the conseiller holding the conversation.

Both channels call `route` before Rasa. When the conversation is held, the
message goes to the desk (bot/conversations/hold.py) and Rasa never sees it,
except for the requests the assistant handles whoever holds the conversation:
cancelling an appointment (ANNULER, intent cancel_appointment) and erasing one's
data (SUPPRIMER MES DONNEES, intent delete_my_data, and the OUI / NON that
confirms it while the erasure form runs). Those go to the assistant as today,
and the conseiller sees them in the conversation (with the assistant's answer).
STOP, START and AIDE never reach here: bot/sms/intake.py answers them first; the
SMS channel then calls `note_keyword` so the conseiller sees them too.

The intent is read with the running model (`agent.parse_message`), the same
classifier the assistant would use, and a few plain keywords work even without it.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from bot.conversations import hold as holds
from bot.db import session_scope
from bot.settings import Settings
from bot.sms.outbound import SmsConfig
from bot.texts.holds import resumed_text

log = logging.getLogger(__name__)

BOT_INTENTS = {"cancel_appointment": "keyword:annuler", "delete_my_data": "keyword:supprimer"}
PLAIN_KEYWORDS = {
    "ANNULER": "keyword:annuler",
    "ANNULER RDV": "keyword:annuler",
    "ANNULER MON RDV": "keyword:annuler",
    "ANNULER MON RENDEZ VOUS": "keyword:annuler",
    "SUPPRIMER MES DONNEES": "keyword:supprimer",
    "EFFACER MES DONNEES": "keyword:supprimer",
}
SMS_KEYWORD_OUTCOMES = ("stop", "start", "aide")  # bot/sms/intake.py's outcomes
BOT_FORMS = ("erasure_form",)  # while it runs, the answers are the assistant's to read
MIN_CONFIDENCE = 0.6


@dataclass
class Route:
    to_bot: bool
    hold_id: int | None = None  # the hold still running (the message was kept for the desk, or is a keyword)
    held_by: str | None = None
    kind: str | None = None  # keyword:annuler... when a held conversation's message goes to the assistant
    notices: list[str] = field(default_factory=list)  # texts for the resident (the widget shows them)


def plain(text: str) -> str:
    without = "".join(c for c in unicodedata.normalize("NFD", text or "") if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", without).split()).upper()


async def _maybe(value):
    return await value if inspect.isawaitable(value) else value


async def assistant_keyword(agent, conversation_id: str, text: str) -> str | None:
    """keyword:annuler / keyword:supprimer when the assistant must read this message, else None."""
    kind = PLAIN_KEYWORDS.get(plain(text))
    if kind or agent is None:
        return kind
    try:
        tracker = await _maybe(agent.tracker_store.retrieve(conversation_id))
        if tracker is not None and tracker.active_loop_name in BOT_FORMS:
            return "keyword:confirmation"
        parsed = await agent.parse_message(text)
        intent = (parsed or {}).get("intent") or {}
        if intent.get("name") in BOT_INTENTS and (intent.get("confidence") or 0) >= MIN_CONFIDENCE:
            return BOT_INTENTS[intent["name"]]
    except Exception:  # reading the intent failed: the conseiller gets the message
        log.exception("could not read the intent of a held conversation's message")
    return None


def _current(
    conversation_id: str, hours: int, *, engine: Engine, sms: SmsConfig
) -> tuple[int | None, str | None, list[str]]:
    with session_scope(engine) as session:
        before = holds.hold_row(session, conversation_id)
        was_active = before is not None and before.active
        hold = holds.active_hold(session, conversation_id, hours=hours, sms=sms)
        if hold is not None:
            return hold.id, hold.holder_name, []
        return None, None, ([resumed_text()] if was_active else [])


def _to_desk(conversation_id: str, text: str, settings: Settings, *, engine: Engine) -> list[str]:
    with session_scope(engine) as session:
        hold = holds.active_hold(session, conversation_id, hours=settings.human_hold_hours, sms=SmsConfig.of(settings))
        if hold is None:  # ended meanwhile: kept anyway, the desk sees it
            return []
        return holds.resident_writes(session, hold, text, settings=settings)


def _note(
    conversation_id: str, author: str, text: str, kind: str, hours: int, *, engine: Engine, sms: SmsConfig
) -> None:
    with session_scope(engine) as session:
        hold = holds.active_hold(session, conversation_id, hours=hours, sms=sms)
        if hold is not None:
            holds.record(session, hold, author, text, kind=kind)
            hold.last_activity_at = holds.now_utc()


async def route(
    conversation_id: str, text: str, agent=None, raw_text: str | None = None, *, settings: Settings, engine: Engine
) -> Route:
    """Where this (screened) message goes; a held conversation's message is already stored. `settings`:
    the channel's (HUMAN_HOLD_HOURS, and how the holder is notified)."""
    hold_id, held_by, notices = await asyncio.to_thread(
        _current, conversation_id, settings.human_hold_hours, engine=engine, sms=SmsConfig.of(settings)
    )
    if hold_id is None:
        return Route(to_bot=True, notices=notices)
    kind = await assistant_keyword(agent, conversation_id, text)
    if kind is not None:
        await asyncio.to_thread(
            _note,
            conversation_id,
            "resident",
            raw_text or text,
            kind,
            settings.human_hold_hours,
            engine=engine,
            sms=SmsConfig.of(settings),
        )
        return Route(to_bot=True, hold_id=hold_id, held_by=held_by, kind=kind)
    notices = await asyncio.to_thread(_to_desk, conversation_id, raw_text or text, settings, engine=engine)
    return Route(to_bot=False, hold_id=hold_id, held_by=held_by, notices=notices)


def note_keyword(conversation_id: str, keyword: str, text: str, hours: int, *, engine: Engine, sms: SmsConfig) -> None:
    """STOP, START, AIDE answered by the SMS intake: shown to the conseiller (blocking)."""
    _note(conversation_id, "resident", text, f"keyword:{keyword}", hours, engine=engine, sms=sms)


def note_answers(conversation_id: str, texts: list[str], hours: int, *, engine: Engine, sms: SmsConfig) -> None:
    """The assistant's answers to a keyword of a held conversation: shown to the conseiller (blocking)."""
    for text in texts:
        _note(conversation_id, "assistant", text, "text", hours, engine=engine, sms=sms)
