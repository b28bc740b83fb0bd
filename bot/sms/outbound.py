"""Sending an SMS: normalised, recorded with its status, opt-outs respected.

With Twilio credentials the message goes out through the Messages API (from
a number or a messaging service), retried with backoff on transient errors
(429, 5xx, network). Without credentials it goes to the local outbox: the
database record (status `outbox`) and a log line naming the keyed hash of
the number, never the number or the text.

The Twilio client takes a `twilio.http.HttpClient`: production uses the
library's own; tests pass a recording one. That is the only seam.

How this deployment sends (the TWILIO_* settings, PUBLIC_URL for the status callback,
SMS_FOLD_ACCENTS, HASH_KEY) is an `SmsConfig`, built once at the entry point (`SmsConfig.of(settings)`) and
passed down to whatever sends.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import time
from dataclasses import dataclass
from typing import Callable

from sqlalchemy.orm import Session
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http import HttpClient
from twilio.rest import Client

from bot.privacy.hashing import phone_hash
from bot.settings import Settings
from bot.sms.encoding import count_segments, normalise
from bot.sms.models import OutboundMessage
from bot.sms.opt_out import is_opted_out

log = logging.getLogger(__name__)
# The twilio library logs request bodies (numbers, texts) at INFO: never here.
logging.getLogger("twilio.http_client").setLevel(logging.WARNING)

RETRY_DELAYS = (0.5, 1.0, 2.0)
STATUS_CALLBACK_PATH = "/webhooks/twilio_sms/status"

# Tests (and `python -m bot sms`) may set the HttpClient used by default.
_default_http_client: HttpClient | None = None


def set_default_http_client(client: HttpClient | None) -> None:
    global _default_http_client
    _default_http_client = client


@dataclass(frozen=True)
class SmsConfig:
    """TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM_NUMBER, TWILIO_MESSAGING_SERVICE_SID,
    TWILIO_HTTP_CLIENT, PUBLIC_URL, SMS_FOLD_ACCENTS and HASH_KEY, read at the entry point."""

    account_sid: str
    auth_token: str
    from_number: str
    messaging_service_sid: str
    http_client: str  # module:Class, or empty: the library's own
    public_url: str
    fold_accents: bool
    hash_key: str  # HASH_KEY: the outbox and the logs name a number by its keyed hash

    @classmethod
    def of(cls, settings: Settings) -> SmsConfig:
        return cls(
            settings.twilio_account_sid,
            settings.twilio_auth_token,
            settings.twilio_from_number,
            settings.twilio_messaging_service_sid,
            settings.twilio_http_client,
            settings.public_url,
            settings.sms_fold_accents,
            settings.hash_key,
        )

    @property
    def twilio_enabled(self) -> bool:
        return bool(self.account_sid and self.auth_token)


def transient(error: Exception) -> bool:
    if isinstance(error, TwilioRestException):
        return error.status == 429 or error.status >= 500
    return True  # network errors, timeouts


def configured_http_client(sms: SmsConfig) -> HttpClient | None:
    """The HttpClient named by TWILIO_HTTP_CLIENT (module:Class), made once."""
    global _default_http_client
    if _default_http_client is None and sms.http_client:
        module_name, class_name = sms.http_client.split(":")
        module = importlib.import_module(module_name)
        _default_http_client = getattr(module, class_name)()
    return _default_http_client


def twilio_client(sms: SmsConfig, http_client: HttpClient | None) -> Client:
    return Client(sms.account_sid, sms.auth_token, http_client=http_client or configured_http_client(sms))


def _deliver(
    message: OutboundMessage,
    to_e164: str,
    sms: SmsConfig,
    http_client: HttpClient | None,
    sleep: Callable[[float], None],
) -> None:
    client = twilio_client(sms, http_client)
    params = {
        "to": to_e164,
        "body": message.body,
        "status_callback": sms.public_url.rstrip("/") + STATUS_CALLBACK_PATH,
    }
    if sms.messaging_service_sid:
        params["messaging_service_sid"] = sms.messaging_service_sid
    else:
        params["from_"] = sms.from_number
    for attempt, delay in enumerate((*RETRY_DELAYS, None)):
        try:
            sent = client.messages.create(**params)
            message.twilio_sid = sent.sid
            message.status = sent.status or "sent"
            return
        except (TwilioRestException, TwilioException, OSError) as error:
            if delay is None or not transient(error):
                message.status = "failed"
                message.error_code = str(getattr(error, "code", None) or getattr(error, "status", "") or "network")[:20]
                log.warning("sms %s to %s failed after %d attempts", message.id, message.to_hash[:12], attempt + 1)
                return
            sleep(delay)


def send_sms(
    session: Session,
    *,
    sms: SmsConfig,
    to_e164: str,
    body: str,
    purpose: str,
    ticket_id: int | None = None,
    appointment_id: int | None = None,
    http_client: HttpClient | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> OutboundMessage | None:
    """Send (or put in the outbox) one SMS as `sms` says; None when the number opted out."""
    if is_opted_out(session, to_e164, sms.hash_key):
        log.info("sms not sent to %s: opted out", phone_hash(to_e164, sms.hash_key)[:12])
        return None
    text = normalise(body, sms.fold_accents)
    segments = count_segments(text)
    message = OutboundMessage(
        to_hash=phone_hash(to_e164, sms.hash_key),
        to_e164=to_e164,
        body=text,
        purpose=purpose,
        status="queued",
        segments=segments.count,
        encoding=segments.encoding,
        ticket_id=ticket_id,
        appointment_id=appointment_id,
    )
    session.add(message)
    session.flush()
    if sms.twilio_enabled:
        _deliver(message, to_e164, sms, http_client, sleep)
    else:
        message.status = "outbox"
        log.info(
            "sms %s (%s, %d segment(s)) to %s written to the outbox",
            message.id,
            purpose,
            segments.count,
            message.to_hash[:12],
        )
    session.flush()
    return message


async def send_sms_async(*, engine, **kwargs) -> int | None:
    """`send_sms` in its own session (on `engine`) and thread, for the event loop; returns the message id."""
    from bot.db import session_scope

    def work() -> int | None:
        with session_scope(engine) as session:
            message = send_sms(session, **kwargs)
            return message.id if message else None

    return await asyncio.to_thread(work)
