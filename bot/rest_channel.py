"""Rasa's plain `rest` channel, only where a setting turns it on.

Rasa's own REST channel (`/webhooks/rest/webhook`) does not screen secrets
before the NLU and accepts any sender id, so a caller could write into
anyone's conversation (an SMS conversation id is `sms:<keyed hash>`). The
product's doors are the screened channels: the widget's (bot/web/channel.py)
and Twilio's (bot/sms_channel.py). This one stays for the tests, the
benchmark and deploy checks, which set RASA_REST_CHANNEL=true; otherwise it
registers no route at all (404), whatever the proxy in front publishes.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint

from bot.settings import get_settings


class OptionalRestInput(RestInput):
    """`/webhooks/rest/`: Rasa's RestInput when RASA_REST_CHANNEL=true, else nothing."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        if get_settings().rasa_rest_channel:
            return super().blueprint(on_new_message)
        return Blueprint("rest_channel_disabled", __name__)
