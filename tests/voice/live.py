"""Calling the live bot's voice webhooks exactly as Twilio does, and reading its TwiML.

Requests are form-encoded with Twilio's fields and signed with the twilio
library's RequestValidator over PUBLIC_URL + path; the TwiML answers are
parsed with xml.etree. SMS sent are read at the Twilio HTTP edge.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from tests.sms.live import post
from tests.support.live_bot import PUBLIC_URL, TEST_ACCOUNT_SID

INCOMING = "/webhooks/twilio_voice/webhook"
GATHER = "/webhooks/twilio_voice/gather"
DIALED = "/webhooks/twilio_voice/dialed"
STATUS = "/webhooks/twilio_voice/status"
CITY_LINE = "+33387000000"


def new_call_sid() -> str:
    return "CA" + uuid.uuid4().hex


def call_params(call_sid: str, caller: str, **extra) -> dict[str, str]:
    params = {
        "AccountSid": TEST_ACCOUNT_SID,
        "ApiVersion": "2010-04-01",
        "CallSid": call_sid,
        "CallStatus": "in-progress",
        "Called": CITY_LINE,
        "Caller": caller,
        "Direction": "inbound",
        "From": caller,
        "FromCountry": "FR",
        "To": CITY_LINE,
        "ToCountry": "FR",
        "ToCity": "METZ",
    }
    params.update({k: v for k, v in extra.items() if v is not None})
    return params


@dataclass
class Twiml:
    status: int
    body: str

    @property
    def root(self) -> ET.Element:
        return ET.fromstring(self.body)

    @property
    def says(self) -> list[ET.Element]:
        return list(self.root.iter("Say"))

    @property
    def said(self) -> str:
        return " ".join((s.text or "") for s in self.says)

    @property
    def gather(self) -> ET.Element | None:
        return self.root.find("Gather")

    @property
    def hangs_up(self) -> bool:
        return self.root.find("Hangup") is not None

    @property
    def dial(self) -> ET.Element | None:
        return self.root.find("Dial")


class Call:
    """One phone call to the live bot."""

    def __init__(self, bot, caller: str, call_sid: str | None = None) -> None:
        self.bot, self.caller, self.sid = bot, caller, call_sid or new_call_sid()

    def start(self) -> Twiml:
        answer = post(self.bot, INCOMING, call_params(self.sid, self.caller, CallStatus="ringing"))
        return Twiml(answer.status, answer.body)

    def say(self, speech: str, confidence: float = 0.92) -> Twiml:
        answer = post(
            self.bot, GATHER, call_params(self.sid, self.caller, SpeechResult=speech, Confidence=str(confidence))
        )
        return Twiml(answer.status, answer.body)

    def key(self, digits: str) -> Twiml:
        answer = post(self.bot, GATHER, call_params(self.sid, self.caller, Digits=digits))
        return Twiml(answer.status, answer.body)

    def silence(self) -> Twiml:
        answer = post(self.bot, GATHER, call_params(self.sid, self.caller))
        return Twiml(answer.status, answer.body)

    def status(self, status: str, duration: str | None = None) -> Twiml:
        answer = post(self.bot, STATUS, call_params(self.sid, self.caller, CallStatus=status, CallDuration=duration))
        return Twiml(answer.status, answer.body)

    def dial_ended(self, dial_status: str) -> Twiml:
        answer = post(self.bot, DIALED, call_params(self.sid, self.caller, DialCallStatus=dial_status))
        return Twiml(answer.status, answer.body)


def action_url(path: str) -> str:
    return PUBLIC_URL + path
