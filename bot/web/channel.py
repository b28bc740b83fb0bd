"""Rasa input channel of the web widget: Rasa's REST protocol, screened.

The widget posts `{"sender": "web:<uuid>", "message": "..."}` to
`/webhooks/web/webhook` and gets back the bot's messages as a JSON list, the
same shape as Rasa's own REST channel. Several things differ, and are why this
channel exists rather than the plain `rest` one:

- the text goes through `screen_inbound` before Rasa sees it, so a card
  number or a password typed by a resident is never parsed, logged or stored;
  the resident is warned (bot/texts/privacy.py) in the same answer;
- the text is cleaned first (bot/text_cleaning.py: lone surrogates, NUL,
  control characters);
- the conversation id must be `web:<uuid>`: a browser cannot write into an
  SMS conversation (whose id is a keyed hash of a phone number) or guess
  someone else's;
- a message sent again with the same `message_id` (the widget's retries) is
  answered once: the retry gets the stored answer (bot/web/deliveries.py);
- a conversation a conseiller holds goes to the desk, not to Rasa
  (bot/conversations/routing.py): the answer is then a `custom` message
  `{"hold": {"by": "Camille"}}` (and any notice), and the widget fetches the
  conseiller's messages from `GET /webhooks/web/messages?sender=...&after=<id>`
  (bot/conversations/widget.py).

Bad input gets a kind French answer, never a 5xx.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sqlalchemy.engine import Engine

from bot.conversations import routing, widget
from bot.db import engine_for
from bot.privacy.screening import screen_inbound
from bot.settings import get_settings
from bot.sms.outbound import SmsConfig
from bot.text_cleaning import clean_text
from bot.texts import privacy as privacy_texts
from bot.texts import web as web_texts
from bot.web import deliveries

logger = logging.getLogger(__name__)

SENDER = re.compile(r"\Aweb:[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}\Z")
MAX_CHARS = 1000  # the widget's text field has the same limit


def engine() -> Engine:
    """The database of DATABASE_URL (one engine per URL, made once)."""
    return engine_for(get_settings().database_url)


def trouble() -> str:
    return web_texts.trouble_text(get_settings().city_contact_phone)


def said(sender: str, *texts: str) -> list[dict]:
    return [{"recipient_id": sender, "text": text} for text in texts]


class WebInput(InputChannel):
    """`/webhooks/web/webhook`: the web widget's messages, screened."""

    @classmethod
    def name(cls) -> str:
        return "web"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        web = Blueprint("web_widget_webhook", __name__)

        @web.route("/", methods=["GET"])
        async def health(_: Request):
            return response.json({"status": "ok"})

        @web.route("/messages", methods=["GET"])
        async def held_messages(request: Request):
            sender = request.args.get("sender", "")
            if not SENDER.match(sender):
                return response.json({"error": "bad sender"}, status=400)
            after = request.args.get("after", "0")
            after = int(after) if after.isdigit() and len(after) < 12 else 0
            return response.json(
                await asyncio.to_thread(
                    widget.held_messages,
                    sender,
                    after,
                    get_settings().human_hold_hours,
                    engine=engine(),
                    sms=SmsConfig.of(get_settings()),
                ),
                headers={"Cache-Control": "no-store"},
            )

        @web.route("/webhook", methods=["POST"])
        async def receive(request: Request):
            try:
                body = request.json
            except Exception:  # malformed JSON: sanic raises InvalidUsage
                body = None
            if not isinstance(body, dict):
                return response.json(said("", web_texts.bad_request_text()), status=400)
            sender, text = body.get("sender"), body.get("message")
            if not isinstance(sender, str) or not SENDER.match(sender):
                return response.json(said("", web_texts.bad_request_text()), status=400)
            if isinstance(text, str):
                text = clean_text(text)  # lone surrogates, NUL, controls: gone before anything reads it
            if not isinstance(text, str) or not text.strip():
                return response.json(said(sender, web_texts.empty_text()))
            if len(text) > MAX_CHARS:
                return response.json(said(sender, web_texts.too_long_text(MAX_CHARS)))
            message_id = body.get("message_id")
            if message_id is not None:
                if not isinstance(message_id, str) or not deliveries.MESSAGE_ID.match(message_id):
                    return response.json(said(sender, web_texts.bad_request_text()), status=400)
                claim = await asyncio.to_thread(deliveries.claim, sender, message_id, engine=engine())
                if not claim.new:
                    logger.info("web widget: %s sent the same message again", sender)
                    if claim.answer is None:  # still being answered: the widget retries shortly
                        return response.json(said(sender, web_texts.in_progress_text()), status=409)
                    return response.json(claim.answer)

            screened = screen_inbound(text.strip())
            warning = said(sender, privacy_texts.secret_warning()) if screened.had_secret else []
            held = await routing.route(
                sender, screened.text, getattr(request.app.ctx, "agent", None), settings=get_settings(), engine=engine()
            )
            if not held.to_bot:  # a conseiller holds the conversation: the desk has the message
                answer = warning + widget.held_answer(sender, held)
                if message_id is not None:
                    await asyncio.to_thread(deliveries.answered, sender, message_id, answer, engine=engine())
                return response.json(answer)
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(
                        screened.text, collector, sender, input_channel=self.name(), metadata={"channel": "web"}
                    )
                )
            except Exception:
                # The message text is never logged: only that this conversation failed.
                logger.exception("web widget: the assistant failed to answer %s", sender)
                if message_id is not None:
                    await asyncio.to_thread(deliveries.release, sender, message_id, engine=engine())
                return response.json(said(sender, trouble()))
            answer = warning + said(sender, *held.notices) + collector.messages
            if held.hold_id is not None:  # a keyword of a held conversation: the conseiller sees the answer
                await asyncio.to_thread(
                    routing.note_answers,
                    sender,
                    [m.get("text") or "" for m in collector.messages if m.get("text")],
                    get_settings().human_hold_hours,
                    engine=engine(),
                    sms=SmsConfig.of(get_settings()),
                )
                answer += widget.held_answer(sender, held)
            if message_id is not None:
                await asyncio.to_thread(deliveries.answered, sender, message_id, answer, engine=engine())
            logger.info("web widget: %s answered with %d message(s)", sender, len(collector.messages))
            return response.json(answer)

        return web
