"""The Rasa input channel for residents' SMS, through Twilio.

Routes (Rasa mounts them under /webhooks/twilio_sms/):
  POST webhook   an inbound SMS (Twilio's "A message comes in" webhook)
  POST status    a delivery status of one of our SMS (the StatusCallback)
  GET  /         health check

Both POST routes demand a valid X-Twilio-Signature computed over PUBLIC_URL +
the path and query and every POST parameter (bot/sms/signature.py); anything
else gets 403 and changes nothing. Then every field read is checked (format,
length: bot/sms/fields.py); a bad one gets 400, nothing recorded, no reply. Twilio gets TwiML back: an empty
<Response/>, since replies go out through the Messages API (bot/sms/outbound.py),
each one recorded with its delivery status.

Twilio waits 15 seconds at most. The message is handled in a task; the
webhook waits for it up to SMS_WEBHOOK_TIMEOUT_SECONDS, then answers anyway
while the task finishes (replies go out through the API either way).
Blocking work (database, Twilio API) runs in worker threads, never on the
event loop. The channel itself stays thin: bot/sms/intake.py decides what an
inbound SMS needs.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.twiml.messaging_response import MessagingResponse

from bot import handoff
from bot.conversations import routing
from bot.db import engine_for, session_scope
from bot.settings import get_settings
from bot.sms.fields import inbound_problem, status_problem
from bot.sms.intake import Intake, mark, reply, send_replies, take_in
from bot.sms.outbound import SmsConfig
from bot.sms.signature import FormParams, signed_params
from bot.sms.status import apply_status
from bot.texts import sms as texts
from bot.waitlist import replies as waitlist_replies

log = logging.getLogger(__name__)

CHANNEL_NAME = "twilio_sms"


def twiml(message: str | None = None) -> HTTPResponse:
    """TwiML for Twilio: empty, or one message Twilio sends itself (when we cannot)."""
    document = MessagingResponse()
    if message:
        document.message(message)
    return response.text(str(document), content_type="text/xml")


class SmsCollector(CollectingOutputChannel):
    """Collects the assistant's replies; its name selects `channel: twilio_sms` responses."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        # One response, one SMS: not split at blank lines as the base class does.
        await self._persist_message(self._message(recipient_id, text=text))


class TwilioSmsInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    @classmethod
    def from_credentials(cls, credentials: dict | None) -> "TwilioSmsInput":
        return cls()  # every setting comes from bot/settings.py

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task] = set()

    def _finished(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("inbound sms task failed: %r", task.exception())

    @staticmethod
    def verified(request: Request) -> FormParams | None:
        """The POST parameters when Twilio signed them, else None (bot/sms/signature.py)."""
        return signed_params(request, get_settings())

    async def handle(
        self, params: FormParams, on_new_message: Callable[[UserMessage], Awaitable[Any]], agent: Any = None
    ) -> Intake:
        settings = get_settings()
        engine = engine_for(settings.database_url)
        intake = await asyncio.to_thread(take_in, params, settings, engine=engine)
        conversation_id = intake.conversation_id(settings.hash_key)
        if intake.outcome in routing.SMS_KEYWORD_OUTCOMES and conversation_id:
            await asyncio.to_thread(
                routing.note_keyword,
                conversation_id,
                intake.outcome,
                params.first("Body"),  # a held conversation: the conseiller sees it
                settings.human_hold_hours,
                engine=engine,
                sms=SmsConfig.of(settings),
            )
        if intake.outcome != "converse":
            return intake
        # OUI or NON to a freed seat of the waitlist, whatever Rasa's state (bot/waitlist/replies.py).
        offer_answer = await asyncio.to_thread(
            waitlist_replies.answer_sms,
            intake.e164,
            intake.written or intake.text or "",
            max_appointments=settings.booking_max_future_appointments,
            routes_file=settings.routes_file,
            engine=engine,
            sms=SmsConfig.of(settings),
        )
        if offer_answer and offer_answer.handled:
            await asyncio.to_thread(mark, intake.message_sid, "waitlist", engine=engine)
            return intake
        # A bare OUI or NON to the assistant's newer question: after its replies, the seat's reminder.
        after_replies = [{"text": offer_answer.reply}] if offer_answer else []
        # A conversation held by a conseiller goes to the desk, not to Rasa (bot/conversations/).
        held = await routing.route(
            conversation_id, intake.text, agent, intake.written, settings=settings, engine=engine
        )
        if not held.to_bot:
            await asyncio.to_thread(mark, intake.message_sid, "held", engine=engine)
            return intake
        collector = SmsCollector()
        try:
            await on_new_message(
                UserMessage(
                    intake.text,
                    collector,
                    conversation_id,
                    input_channel=CHANNEL_NAME,
                    message_id=intake.message_sid,
                )
            )
        except Exception:  # the assistant failed: say so kindly, never a 5xx
            log.exception("the assistant failed on sms %s", intake.message_sid)
            await asyncio.to_thread(
                reply,
                intake.e164,
                texts.technical_problem_text(settings.city_contact_phone),
                engine=engine,
                sms=SmsConfig.of(settings),
            )
            await asyncio.to_thread(mark, intake.message_sid, "error", engine=engine)
            return intake
        await asyncio.to_thread(
            send_replies, intake, collector.messages + after_replies, engine=engine, sms=SmsConfig.of(settings)
        )
        if held.hold_id is not None:  # a keyword of a held conversation: the conseiller sees the answer
            await asyncio.to_thread(
                routing.note_answers,
                conversation_id,
                [m.get("text") or "" for m in collector.messages if m.get("text")],
                settings.human_hold_hours,
                engine=engine,
                sms=SmsConfig.of(settings),
            )
        return intake

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sms = Blueprint("twilio_sms_webhook", __name__)

        @sms.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sms.route("/webhook", methods=["POST"])
        async def inbound(request: Request) -> HTTPResponse:
            params = self.verified(request)
            if params is None:
                return response.text("Forbidden", status=403)
            problem = inbound_problem(params, get_settings().twilio_account_sid)
            if problem:
                log.warning("inbound sms refused: %s is not as Twilio sends it", problem)
                return response.text("Bad Request", status=400)
            agent = getattr(request.app.ctx, "agent", None)
            task = asyncio.ensure_future(self.handle(params, on_new_message, agent))
            self._tasks.add(task)
            task.add_done_callback(self._finished)
            try:
                await asyncio.wait_for(asyncio.shield(task), get_settings().sms_webhook_timeout_seconds)
            except asyncio.TimeoutError:
                log.warning("sms still being handled after the webhook deadline; replies will follow")
            except Exception:
                log.exception("inbound sms could not be handled")
                return twiml(texts.technical_problem_text(get_settings().city_contact_phone))
            return twiml()

        @sms.route("/status", methods=["POST"])
        async def status(request: Request) -> HTTPResponse:
            params = self.verified(request)
            if params is None:
                return response.text("Forbidden", status=403)
            problem = status_problem(params, get_settings().twilio_account_sid)
            if problem:
                log.warning("status callback refused: %s is not as Twilio sends it", problem)
                return response.text("Bad Request", status=400)
            await asyncio.to_thread(
                record_status,
                params.first("MessageSid"),
                params.first("MessageStatus") or params.first("SmsStatus"),
                params.first("ErrorCode") or None,
            )
            return twiml()

        return sms


def record_status(message_sid: str, status: str, error_code: str | None) -> None:
    with session_scope(engine_for(get_settings().database_url)) as session:
        apply_status(session, message_sid, status, error_code, on_failure=handoff.flag_sms_failure)
