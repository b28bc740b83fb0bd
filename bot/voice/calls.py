"""Who is calling, and the state of their call (bot/voice/models.py), between webhooks.

The conversation id is the caller's SMS conversation (`sms:<keyed hash of the
number>`, whichever city number they called), so what was begun by phone
goes on by SMS and the reverse. A hidden number gets a conversation of its
own call (`voice:<keyed hash of the CallSid>`) and the answers only, until
the caller gives a number (the triage asks for one before booking).
Functions block (database): the channel runs them in worker threads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine

from bot.db import session_scope, utcnow
from bot.phones import is_mobile, to_e164
from bot.privacy.hashing import keyed_hash, phone_hash
from bot.residents import Resident, resident_for_conversation, resident_for_phone, sms_conversation_id
from bot.sms import choices as sms_choices
from bot.sms.opt_out import is_opted_out
from bot.voice.listening import is_hidden
from bot.voice.models import VoiceCall


@dataclass(frozen=True)
class Caller:
    conversation_id: str
    key: str  # the keyed hash the numbered choices are remembered under
    e164: str | None  # the caller's own number (None: hidden)
    hash_key: str = field(repr=False)  # HASH_KEY, to find the resident of the number


def caller_of(call_sid: str, raw_from: str, region: str, hash_key: str) -> Caller:
    """`region`: SMS_DEFAULT_REGION, for a number without its country code; `hash_key`: HASH_KEY."""
    e164 = None if is_hidden(raw_from) else to_e164(raw_from, region)
    if e164 is not None:
        return Caller(sms_conversation_id(e164, hash_key), phone_hash(e164, hash_key), e164, hash_key)
    hashed = keyed_hash("call:" + call_sid, hash_key)
    return Caller("voice:" + hashed, hashed, None, hash_key)


def resident_of(session, caller: Caller) -> Resident:
    return (
        resident_for_phone(session, caller.e164, caller.hash_key)
        if caller.e164
        else resident_for_conversation(session, caller.conversation_id)
    )


def sms_target(session, caller: Caller) -> str | None:
    """The mobile that may get this caller's SMS (links, help), or None (landline, STOP, unknown)."""
    resident = session.execute(
        select(Resident).where(Resident.conversation_id == caller.conversation_id)
    ).scalar_one_or_none()
    number = caller.e164 or (resident.phone_e164 if resident else None)
    if not number or not is_mobile(number) or is_opted_out(session, number, caller.hash_key):
        return None
    return number


def open_call(call_sid: str, caller: Caller, *, engine: Engine) -> tuple[bool, str | None]:
    """Record the call (once per CallSid); (first call of this conversation?, SMS target)."""
    with session_scope(engine) as session:
        resident_of(session, caller)
        existing = session.execute(select(VoiceCall).where(VoiceCall.call_sid == call_sid)).scalar_one_or_none()
        earlier = session.execute(
            select(VoiceCall.id)
            .where(VoiceCall.conversation_id == caller.conversation_id, VoiceCall.call_sid != call_sid)
            .limit(1)
        ).first()
        if existing is None:
            session.add(
                VoiceCall(
                    call_sid=call_sid,
                    conversation_id=caller.conversation_id,
                    caller_hash=caller.key if caller.e164 else None,
                )
            )
        return earlier is None, sms_target(session, caller)


@dataclass
class CallState:
    turns: int
    silences: int
    misunderstood: int
    mode: str | None
    pending: dict | None
    choices: dict
    last_prompt: str | None
    sms_to: str | None


def begin_turn(call_sid: str, caller: Caller, *, silent: bool, engine: Engine) -> CallState:
    """Count the turn (and the silence); the state the turn is decided on."""
    with session_scope(engine) as session:
        call = session.execute(select(VoiceCall).where(VoiceCall.call_sid == call_sid)).scalar_one_or_none()
        if call is None:  # a call we did not see start (state purged, another deployment): adopt it
            resident_of(session, caller)
            call = VoiceCall(
                call_sid=call_sid,
                conversation_id=caller.conversation_id,
                caller_hash=caller.key if caller.e164 else None,
                turns=0,
                silences=0,
                misunderstood=0,
            )
            session.add(call)
        call.turns = (call.turns or 0) + 1
        call.silences = (call.silences or 0) + 1 if silent else 0
        session.flush()
        return CallState(
            call.turns,
            call.silences,
            call.misunderstood or 0,
            call.mode,
            call.pending,
            dict(call.choices or {}),
            call.last_prompt,
            sms_target(session, caller),
        )


def save_turn(
    call_sid: str,
    caller: Caller,
    *,
    prompt: str | None = None,
    choices: dict | None = None,
    mode: str | None = None,
    pending: dict | None = None,
    misunderstood: int | None = None,
    keep_prompt: bool = False,
    engine: Engine,
) -> None:
    """What the line just asked: repeated after a silence, and the choices it offered."""
    with session_scope(engine) as session:
        call = session.execute(select(VoiceCall).where(VoiceCall.call_sid == call_sid)).scalar_one()
        if not keep_prompt:
            call.last_prompt = prompt
            call.choices = choices or {}
            sms_choices.remember(session, caller.key, {k: v["payload"] for k, v in (choices or {}).items()})
        call.mode = mode
        call.pending = pending
        if misunderstood is not None:
            call.misunderstood = misunderstood


def resolve_digits(caller: Caller, digits: str, *, engine: Engine) -> str:
    """A key pressed: the payload of the choice it names (bot/sms/choices.py), else the digits."""
    with session_scope(engine) as session:
        return sms_choices.resolve(session, caller.key, digits)


def end_call(call_sid: str, status: str, duration: str | None, *, engine: Engine) -> bool:
    with session_scope(engine) as session:
        call = session.execute(select(VoiceCall).where(VoiceCall.call_sid == call_sid)).scalar_one_or_none()
        if call is None:
            return False
        call.status = status[:20]
        if status in ("completed", "busy", "failed", "no-answer", "canceled"):
            call.ended_at = utcnow()
            call.pending = None
            call.last_prompt = None
        if duration and duration.isdigit():
            call.duration_seconds = int(duration)
        return True


def purge_calls(session, before: datetime) -> int:
    """Delete the state of calls started before `before` (bot/data_rights/retention.py)."""
    return session.execute(delete(VoiceCall).where(VoiceCall.started_at < before)).rowcount or 0


def now_utc() -> datetime:
    return datetime.now(timezone.utc)
