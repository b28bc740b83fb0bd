"""Twilio's webhook fields, checked before anything is recorded or answered.

A signed request can still carry a field no real Twilio request has (a
replayed or hand-made form, a future Twilio change): a MessageSid of 65
characters or with a NUL byte would reach the database, which refuses it,
and the resident would get a technical-error SMS. Each field we read has its
format and length checked here; a request that fails gets 400, nothing is
recorded and nothing is sent. Patterns end in `\\Z` (`$` accepts a final
newline).
"""

from __future__ import annotations

import re

from bot.sms.signature import FormParams

MESSAGE_SID = re.compile(r"\A(?:SM|MM)[0-9a-f]{32}\Z")
ACCOUNT_SID = re.compile(r"\AAC[0-9a-f]{32}\Z")
# E.164 for SMS; Twilio also names other senders (short codes, alphanumeric ids, "whatsapp:+33...").
ADDRESS = re.compile(r"\A[+]?[0-9A-Za-z:._ -]{1,40}\Z")
COUNT = re.compile(r"\A[0-9]{1,2}\Z")
STATUS = re.compile(r"\A[a-z_]{1,20}\Z")
ERROR_CODE = re.compile(r"\A[0-9]{1,6}\Z")
MAX_BODY_CHARS = 1600  # Twilio joins a long SMS up to 1,600 characters


def _bad(params: FormParams, name: str, pattern: re.Pattern, required: bool) -> bool:
    values = params.get(name)
    if not values:
        return required
    return len(values) != 1 or not pattern.match(values[0])


def _bad_account(params: FormParams, configured: str) -> str | None:
    if _bad(params, "AccountSid", ACCOUNT_SID, required=True):
        return "AccountSid"
    if configured and params.first("AccountSid") != configured:
        return "AccountSid"
    return None


def inbound_problem(params: FormParams, account_sid: str = "") -> str | None:
    """The first field of an inbound SMS that is not as Twilio sends it, or None; `account_sid`
    (TWILIO_ACCOUNT_SID, passed by the channel), when set, is the only account accepted."""
    for name in ("MessageSid", "SmsMessageSid", "SmsSid"):
        if _bad(params, name, MESSAGE_SID, required=name == "MessageSid"):
            return name
    if _bad_account(params, account_sid):
        return "AccountSid"
    for name in ("From", "To"):
        if _bad(params, name, ADDRESS, required=name == "From"):
            return name
    if _bad(params, "NumMedia", COUNT, required=False):
        return "NumMedia"
    body = params.get("Body") or [""]
    if len(body) != 1 or len(body[0]) > MAX_BODY_CHARS:
        return "Body"
    return None


def status_problem(params: FormParams, account_sid: str = "") -> str | None:
    """The first field of a status callback that is not as Twilio sends it, or None (`account_sid`:
    as for inbound_problem)."""
    for name in ("MessageSid", "SmsSid"):
        if _bad(params, name, MESSAGE_SID, required=name == "MessageSid"):
            return name
    if _bad_account(params, account_sid):
        return "AccountSid"
    for name in ("MessageStatus", "SmsStatus"):
        if _bad(params, name, STATUS, required=False):
            return name
    if _bad(params, "ErrorCode", ERROR_CODE, required=False):
        return "ErrorCode"
    return None
