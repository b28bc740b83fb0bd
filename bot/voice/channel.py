"""The Rasa input channel of the phone line, through Twilio Voice.

Routes (Rasa mounts them under /webhooks/twilio_voice/):
  POST webhook   a call comes in: greeting (and the privacy notice on a first call), then listen
  POST gather    what the caller said or keyed in (<Gather> posts SpeechResult, Confidence, Digits)
  POST dialed    the end of a transfer to a place (<Dial action>): nobody answered -> call-back
  POST status    call status callbacks (the number's "call status changes" URL)
  GET  /         health check

Every POST demands a valid X-Twilio-Signature over PUBLIC_URL + path and every
parameter (bot/sms/signature.py): 403 otherwise, nothing recorded. A CallSid
that is not Twilio's shape, or a malformed field, gets 400.

Twilio listens and speaks: every <Gather> is `input="speech dtmf"` with
`language="fr-FR"` and hints (places, days, topics), every <Say> is French.
The assistant receives text and sends text, as on SMS: its answers are
collected under the channel name `twilio_voice` and made speakable by
bot/voice/spoken.py. Nothing is recorded (no <Record>); the recognizer's
text is screened like an SMS before the assistant reads it.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.engine import Engine
from twilio.twiml.voice_response import VoiceResponse

from bot.db import engine_for, session_scope
from bot.phones import to_e164
from bot.privacy.screening import screen_inbound
from bot.settings import get_settings
from bot.sms.intake import reply
from bot.sms.outbound import SmsConfig
from bot.sms.signature import FormParams, public_url_for, signed_params
from bot.texts import voice as texts
from bot.texts.booking import also_by_sms_text
from bot.texts.privacy import spoken_notice_text
from bot.voice import calls, listening
from bot.voice.calls import Caller, CallState
from bot.voice.spoken import Spoken, speak, spoken_phone

log = logging.getLogger(__name__)

CHANNEL_NAME = "twilio_voice"
LANGUAGE = "fr-FR"
CALL_SID = re.compile(r"^CA[0-9a-f]{32}\Z")
DIGITS = re.compile(r"^[0-9*#]{0,32}\Z")
CALL_STATUSES = {
    "queued",
    "initiated",
    "ringing",
    "in-progress",
    "completed",
    "busy",
    "failed",
    "no-answer",
    "canceled",
}
MAX_SPEECH_CHARS = 2000
ROUTE = "/webhooks/twilio_voice"
DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "matin", "après-midi"]
WORDS = [
    "rendez-vous",
    "annuler",
    "conseiller",
    "oui",
    "non",
    "passer",
    "autre",
    "rappel",
    "e-mail",
    "mot de passe",
    "impôts",
    "CAF",
    "Ameli",
    "France Travail",
    "arnaque",
    "téléphone",
    "ordinateur",
    "tablette",
    "carte Vitale",
    "FranceConnect",
]


class BadRequest(Exception):
    pass


@dataclass
class Fields:
    call_sid: str
    raw_from: str
    speech: str = ""
    digits: str = ""
    confidence: float | None = None
    call_status: str = ""
    duration: str = ""
    dial_status: str = ""


def engine() -> Engine:
    """The database of DATABASE_URL (one engine per URL, made once)."""
    return engine_for(get_settings().database_url)


def sms_number(settings) -> str:
    """The number residents text and that texts them: the short code or TWILIO_FROM_NUMBER."""
    return settings.sms_public_number or settings.twilio_from_number or settings.city_contact_phone


def voice_number(settings) -> str:
    return settings.voice_number or settings.city_contact_phone


def read_fields(params: FormParams) -> Fields:
    """Twilio's fields, checked; BadRequest on any that is not what Twilio sends."""
    sid = params.first("CallSid")
    if not CALL_SID.match(sid):
        raise BadRequest("CallSid")
    raw_from = params.first("From")
    if len(raw_from) > 64:
        raise BadRequest("From")
    digits = params.first("Digits").strip()
    if not DIGITS.match(digits):
        raise BadRequest("Digits")
    speech = params.first("SpeechResult")
    if len(speech) > MAX_SPEECH_CHARS:
        raise BadRequest("SpeechResult")
    confidence = None
    raw_confidence = params.first("Confidence").strip()
    if raw_confidence:
        try:
            confidence = float(raw_confidence)
        except ValueError:
            raise BadRequest("Confidence") from None
        if not 0.0 <= confidence <= 1.0:
            raise BadRequest("Confidence")
    status = params.first("CallStatus")
    if status and status not in CALL_STATUSES:
        raise BadRequest("CallStatus")
    duration = params.first("CallDuration")
    if duration and not duration.isdigit():
        raise BadRequest("CallDuration")
    dial_status = params.first("DialCallStatus")
    if dial_status and dial_status not in CALL_STATUSES | {"answered"}:
        raise BadRequest("DialCallStatus")
    return Fields(sid, raw_from, speech.strip(), digits, confidence, status, duration, dial_status)


class VoiceCollector(CollectingOutputChannel):
    """Collects the assistant's answers whole (with the response's name); selects `twilio_voice` variations."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        if message.get("text") or message.get("buttons"):
            self.messages.append({"recipient_id": recipient_id, **message})


_HINTS: tuple[float, str] = (0.0, "")


def hints() -> str:
    """What the recognizer should expect: place names and neighbourhoods, days, topics, keywords."""
    global _HINTS
    if time.monotonic() - _HINTS[0] < 300 and _HINTS[1]:
        return _HINTS[1]
    from sqlalchemy import select

    from bot.places.models import Place

    names: list[str] = []
    try:
        with session_scope(engine()) as session:
            for nom, aliases in session.execute(select(Place.nom, Place.aliases).where(Place.active.is_(True))):
                names.append(nom)
                names.extend(a for a in (aliases or []) if not a.isdigit())
    except Exception:  # the hints help; they never stop a call
        log.exception("voice hints: places not read")
    seen, phrases = set(), []
    for phrase in [*names, *DAYS, *WORDS]:
        phrase = phrase.replace(",", " ").strip()
        if phrase and phrase.lower() not in seen and len(phrase) <= 100:
            seen.add(phrase.lower())
            phrases.append(phrase)
    _HINTS = (time.monotonic(), ", ".join(phrases[:450]))
    return _HINTS[1]


@dataclass
class Reply:
    """What the line says next, and how it listens."""

    says: list[str] = field(default_factory=list)
    choices: dict = field(default_factory=dict)  # key -> {"payload", "title"}
    listen: bool = True
    expects_number: bool = False
    dial: str | None = None
    mode: str | None = None
    pending: dict | None = None
    keep_prompt: bool = False  # a silence or a confirmation: the last question stays the one to repeat
    misunderstood: int | None = None


def url(path: str) -> str:
    return public_url_for(get_settings().public_url, ROUTE + path)


def twiml(answer: Reply) -> str:
    settings = get_settings()
    document = VoiceResponse()
    voice = settings.voice_tts_voice or None

    def say(target, text: str) -> None:
        target.say(text, voice=voice, language=LANGUAGE)

    if answer.dial:
        for text in answer.says:
            say(document, text)
        dial = document.dial(action=url("/dialed"), method="POST", timeout=25)
        dial.number(answer.dial)
        return str(document)
    if not answer.listen:
        for text in answer.says:
            say(document, text)
        document.hangup()
        return str(document)
    options = dict(
        input="speech dtmf",
        action=url("/gather"),
        method="POST",
        language=LANGUAGE,
        timeout=settings.voice_gather_timeout_seconds,
        speech_timeout="auto",
        action_on_empty_result=True,
        hints=hints(),
        finish_on_key="#",
        profanity_filter=False,
    )
    if not answer.expects_number and len(answer.choices) < 10:
        options["num_digits"] = 1
    gather = document.gather(**options)
    for text in answer.says:
        say(gather, text)
    return str(document)


def xml(body: str) -> HTTPResponse:
    return response.text(body, content_type="text/xml")


def spoken_messages(messages: list[dict], can_sms: bool) -> tuple[list[Spoken], set[str]]:
    """Each answer made speakable; the names of the responses, to react to some."""
    spoken, names = [], set()
    previous = None
    for message in messages:
        names.add(message.get("utter_action") or "")
        item = speak(message, can_sms)
        if not item.text:
            continue
        text = item.text
        if text == previous:
            item.text = "Je répète. " + text  # the confirmation is said twice
        previous = text
        spoken.append(item)
    return spoken, names


class TwilioVoiceInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    @classmethod
    def from_credentials(cls, credentials: dict | None) -> "TwilioVoiceInput":
        return cls()  # every setting comes from bot/settings.py

    @staticmethod
    def verified(request: Request) -> FormParams | None:
        """The POST parameters when Twilio signed them, else None (bot/sms/signature.py)."""
        return signed_params(request, get_settings())

    # --- the assistant ---------------------------------------------------------------
    async def converse(self, on_new_message, caller: Caller, text: str, sid: str) -> list[dict]:
        collector = VoiceCollector()
        await on_new_message(
            UserMessage(
                text, collector, caller.conversation_id, input_channel=CHANNEL_NAME, metadata={"channel": CHANNEL_NAME}
            )
        )
        return collector.messages

    async def transcript(self, request: Request, caller: Caller) -> list[str]:
        try:
            tracker = await request.app.ctx.agent.tracker_store.retrieve(caller.conversation_id)
        except Exception:
            return []
        if tracker is None:
            return []
        return [e.text or "" for e in tracker.events if getattr(e, "type_name", "") == "user"]

    async def answer(
        self, request, on_new_message, caller: Caller, state: CallState, text: str, fields: Fields
    ) -> Reply:
        """The assistant's answer to `text`, spoken; links by SMS; handoff and menu when needed."""
        messages = await self.converse(on_new_message, caller, text, fields.call_sid)
        if not state.sms_to:  # a landline or a number that said STOP: promise no SMS
            messages = [
                m for m in messages if m.get("text") != also_by_sms_text()
            ]  # actions/booking.py, after a booking
        spoken, names = spoken_messages(messages, bool(state.sms_to))
        if "utter_ask_human" in names:
            return await self.handoff(request, caller, state)
        if "utter_offer_human_after_fallback" in names:  # not understood twice: the keypad
            return Reply([texts.keypad_menu()], {}, mode="menu", misunderstood=state.misunderstood + 1)
        says, choices, expects_number = [], {}, False
        links = [item.written for item in spoken if item.has_link]
        for item in spoken:
            says.append(item.text)
            if item.choices:
                choices = {k: {"payload": v, "title": item.titles.get(k, "")} for k, v in item.choices.items()}
        if links and state.sms_to:
            await asyncio.to_thread(self.send_links, state.sms_to, links)
            says.append(texts.link_by_sms(spoken_phone(sms_number(get_settings()))))
        if "utter_goodbye" in names:
            return Reply(says or [texts.goodbye()], listen=False)
        if "utter_ask_contact_phone" in names or any(
            "numéro ne semble pas correct" in m.get("text", "") for m in messages
        ):
            expects_number = True
        if not says:
            says = [texts.anything_else()]
        misunderstood = state.misunderstood + 1 if "utter_ask_rephrase" in names else 0
        return Reply(says, choices, expects_number=expects_number, misunderstood=misunderstood)

    @staticmethod
    def send_links(e164: str, written: list[str]) -> None:
        for text in written:
            reply(e164, text, purpose="voice_link", engine=engine(), sms=SmsConfig.of(get_settings()))

    async def handoff(
        self, request, caller: Caller, state: CallState, *, dial_failed: bool = False, said: str | None = None
    ) -> Reply:
        from bot.voice.transfer import TransferPolicy, hand_off

        policy = TransferPolicy.of(get_settings())
        transcript = await self.transcript(request, caller) + ([said] if said else [])

        def work():
            with session_scope(engine()) as session:
                return hand_off(
                    session, calls.resident_of(session, caller), transcript, policy=policy, dial_failed=dial_failed
                )

        decision = await asyncio.to_thread(work)
        lead = [texts.dial_failed()] if dial_failed else []
        if decision.kind == "dial":
            return Reply([texts.transferring()], dial=decision.number)
        if decision.kind == "need_number":
            return Reply(
                lead + [texts.callback_needs_number()], expects_number=True, pending={"kind": "callback_number"}
            )
        if decision.kind == "already":
            return Reply(lead + [texts.callback_already(decision.when), texts.anything_else()])
        return Reply(
            lead + [texts.callback_noted(decision.when, spoken_phone(decision.number) if decision.number else None)],
            listen=False,
        )

    async def take_number(self, request, caller: Caller, state: CallState, said: str) -> Reply:
        """The number a hidden caller gave for the call-back, validated (bot/phones.py)."""
        e164 = to_e164(listening.phone_digits(said), get_settings().sms_default_region)
        if e164 is None:
            tries = (state.pending or {}).get("tries", 0) + 1
            if tries >= 2:
                return Reply([texts.callback_bad_number(), texts.anything_else()])
            return Reply(
                [texts.callback_bad_number(), texts.callback_needs_number()],
                expects_number=True,
                pending={"kind": "callback_number", "tries": tries},
            )

        def work():
            from bot.privacy.hashing import phone_hash

            with session_scope(engine()) as session:
                resident = calls.resident_of(session, caller)
                resident.phone_e164, resident.phone_hash = e164, phone_hash(e164, caller.hash_key)

        await asyncio.to_thread(work)
        return await self.handoff(request, caller, state)

    # --- one turn ---------------------------------------------------------------------
    async def turn(self, request, on_new_message, fields: Fields) -> Reply:
        settings = get_settings()
        caller = calls.caller_of(
            fields.call_sid, fields.raw_from, get_settings().sms_default_region, get_settings().hash_key
        )
        silent = not fields.speech and not fields.digits
        state = await asyncio.to_thread(calls.begin_turn, fields.call_sid, caller, silent=silent, engine=engine())
        help_sms = texts.help_sms(settings.service_name, voice_number(settings))
        if state.turns > settings.voice_max_turns:
            if state.sms_to:
                await asyncio.to_thread(
                    reply, state.sms_to, help_sms, "voice_help", engine=engine(), sms=SmsConfig.of(get_settings())
                )
            return Reply([texts.too_long_goodbye(bool(state.sms_to))], listen=False)
        if silent:
            if state.silences >= 2:
                if state.sms_to:
                    await asyncio.to_thread(
                        reply, state.sms_to, help_sms, "voice_help", engine=engine(), sms=SmsConfig.of(get_settings())
                    )
                goodbye = texts.silent_goodbye(bool(state.sms_to), spoken_phone(voice_number(settings)))
                return Reply([goodbye], listen=False)
            return Reply(
                [texts.not_heard(), state.last_prompt or texts.greeting(settings.service_name)],
                state.choices,
                mode=state.mode,
                pending=state.pending,
                keep_prompt=True,
                expects_number=bool(state.pending and state.pending.get("kind") == "callback_number"),
            )

        pending = state.pending or {}
        if pending.get("kind") == "callback_number":
            return await self.take_number(request, caller, state, fields.digits or fields.speech)
        if fields.digits:
            return await self.keyed(request, on_new_message, caller, state, fields)
        return await self.spoken(request, on_new_message, caller, state, fields)

    async def keyed(self, request, on_new_message, caller, state: CallState, fields: Fields) -> Reply:
        digits = fields.digits.rstrip("#")
        pending = state.pending or {}
        if pending.get("kind") == "confirm":
            if digits == "1":
                return await self.answer(request, on_new_message, caller, state, pending["text"], fields)
            return Reply(
                [texts.not_confirmed(), state.last_prompt or texts.ask_question()], state.choices, keep_prompt=True
            )
        if digits == "0":
            return await self.handoff(request, caller, state)
        if state.mode == "menu":
            return await self.menu(request, on_new_message, caller, state, digits, fields)
        if not digits:
            greeting = texts.greeting(get_settings().service_name)
            return Reply([texts.not_heard(), state.last_prompt or greeting], state.choices, keep_prompt=True)
        if digits in state.choices:
            text = state.choices[digits]["payload"]
        else:
            text = await asyncio.to_thread(calls.resolve_digits, caller, digits, engine=engine())
        return await self.answer(request, on_new_message, caller, state, text, fields)

    async def menu(self, request, on_new_message, caller, state, key: str, fields: Fields) -> Reply:
        if key == "1":
            return Reply([texts.ask_question()], misunderstood=0)
        if key == "2":
            return await self.answer(request, on_new_message, caller, state, "/book_appointment", fields)
        if key == "3":
            return await self.handoff(request, caller, state)
        return Reply([texts.keypad_menu()], mode="menu")

    async def spoken(self, request, on_new_message, caller, state: CallState, fields: Fields) -> Reply:
        settings = get_settings()
        screened = screen_inbound(fields.speech)
        said = screened.text
        warning = [texts.secret_warning()] if screened.had_secret else []
        pending = state.pending or {}
        if pending.get("kind") == "confirm":
            if listening.is_yes(said):
                return await self.answer(request, on_new_message, caller, state, pending["text"], fields)
            return Reply(
                [texts.not_confirmed(), state.last_prompt or texts.ask_question()], state.choices, keep_prompt=True
            )
        if listening.wants_human(said):
            return await self.handoff(request, caller, state, said=said)
        if state.mode == "menu":
            number = listening.said_number(said)
            if number is not None:
                return await self.menu(request, on_new_message, caller, state, str(number), fields)
        titles = {k: v.get("title", "") for k, v in state.choices.items()}
        key = listening.match_choice(said, titles) if titles else None
        text = state.choices[key]["payload"] if key else said
        slot_offer = any(v.get("payload") == "rappel" for v in state.choices.values())
        unsure = fields.confidence is not None and fields.confidence < settings.voice_min_confidence
        if unsure and ((slot_offer and key) or listening.looks_like_cancellation(said)):
            return Reply(
                warning + [texts.confirm(said)],
                state.choices,
                keep_prompt=True,
                pending={"kind": "confirm", "text": text},
            )
        answer = await self.answer(request, on_new_message, caller, state, text, fields)
        answer.says = warning + answer.says
        return answer

    async def greet(self, request, fields: Fields) -> Reply:
        caller = calls.caller_of(
            fields.call_sid, fields.raw_from, get_settings().sms_default_region, get_settings().hash_key
        )
        first, sms_to = await asyncio.to_thread(calls.open_call, fields.call_sid, caller, engine=engine())
        settings = get_settings()
        says = (
            [spoken_notice_text(settings.service_name, settings.retention_conversation_days)]
            if first
            else [texts.no_recording()]
        )
        resumed = await self.resume(request, caller, bool(sms_to))
        if resumed is not None:
            return Reply(
                says + [texts.resume(), resumed.text],
                {k: {"payload": v, "title": resumed.titles.get(k, "")} for k, v in resumed.choices.items()},
            )
        return Reply(says + [texts.greeting(get_settings().service_name)])

    async def resume(self, request, caller: Caller, can_sms: bool) -> Spoken | None:
        """A call cut short in the middle of the questions: say the last question again."""
        try:
            tracker = await request.app.ctx.agent.tracker_store.retrieve(caller.conversation_id)
        except Exception:
            log.exception("voice: the conversation could not be read")
            return None
        if tracker is None or not tracker.active_loop_name:
            return None
        for event in reversed(tracker.events):
            if getattr(event, "type_name", "") == "bot" and (event.text or (event.data or {}).get("buttons")):
                message = {
                    "text": event.text,
                    "buttons": (event.data or {}).get("buttons"),
                    "utter_action": (event.metadata or {}).get("utter_action"),
                }
                return speak(message, can_sms)
        return None

    async def save(self, fields: Fields, answer: Reply) -> None:
        caller = calls.caller_of(
            fields.call_sid, fields.raw_from, get_settings().sms_default_region, get_settings().hash_key
        )
        prompt = " ".join(answer.says[-2:]) if answer.says else None
        await asyncio.to_thread(
            calls.save_turn,
            fields.call_sid,
            caller,
            prompt=prompt,
            choices=answer.choices,
            mode=answer.mode,
            pending=answer.pending,
            misunderstood=answer.misunderstood,
            keep_prompt=answer.keep_prompt,
            engine=engine(),
        )

    # --- routes -----------------------------------------------------------------------
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        voice = Blueprint("twilio_voice_webhook", __name__)

        async def checked(request: Request) -> Fields | HTTPResponse:
            params = self.verified(request)
            if params is None:
                return response.text("Forbidden", status=403)
            try:
                return read_fields(params)
            except BadRequest as error:
                log.warning("voice webhook %s: bad %s", request.path, error)
                return response.text("Bad Request", status=400)

        async def guarded(work: Callable[[], Awaitable[Reply]], fields: Fields) -> HTTPResponse:
            try:
                answer = await work()
                if answer.listen and not answer.dial:
                    await self.save(fields, answer)
            except Exception:  # the caller hears a kind sentence, never silence or a 5xx
                log.exception("voice call %s could not be answered", fields.call_sid[:12])
                answer = Reply([texts.technical_problem(spoken_phone(get_settings().city_contact_phone))], listen=False)
            return xml(twiml(answer))

        @voice.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @voice.route("/webhook", methods=["POST"])
        async def incoming(request: Request) -> HTTPResponse:
            fields = await checked(request)
            if isinstance(fields, HTTPResponse):
                return fields
            return await guarded(lambda: self.greet(request, fields), fields)

        @voice.route("/gather", methods=["POST"])
        async def gathered(request: Request) -> HTTPResponse:
            fields = await checked(request)
            if isinstance(fields, HTTPResponse):
                return fields
            return await guarded(lambda: self.turn(request, on_new_message, fields), fields)

        @voice.route("/dialed", methods=["POST"])
        async def dialed(request: Request) -> HTTPResponse:
            fields = await checked(request)
            if isinstance(fields, HTTPResponse):
                return fields
            if fields.dial_status in ("completed", "answered"):
                return xml(twiml(Reply([texts.goodbye()], listen=False)))

            async def callback() -> Reply:
                caller = calls.caller_of(
                    fields.call_sid, fields.raw_from, get_settings().sms_default_region, get_settings().hash_key
                )
                state = await asyncio.to_thread(
                    calls.begin_turn, fields.call_sid, caller, silent=False, engine=engine()
                )
                return await self.handoff(request, caller, state, dial_failed=True)

            return await guarded(callback, fields)

        @voice.route("/status", methods=["POST"])
        async def status(request: Request) -> HTTPResponse:
            fields = await checked(request)
            if isinstance(fields, HTTPResponse):
                return fields
            if fields.call_status:
                await asyncio.to_thread(
                    calls.end_call, fields.call_sid, fields.call_status, fields.duration, engine=engine()
                )
            return xml(str(VoiceResponse()))

        return voice
