"""Logs never hold a plain phone number or a secret someone wrote.

`install_log_redaction()` makes every log record of the process pass through
`scrub`: phone numbers (E.164 and French formats) become `tel#<keyed hash>`
(the same keyed hash as bot.privacy.hashing.phone_hash, so one person can be
followed across log lines without their number), and card numbers, IBANs,
passwords... are masked (bot/privacy/redaction.py).

It works at the source, through the logging record factory, so it covers
every logger and every handler, including the ones Rasa, Sanic and Flask set
up after us. Each process installs it: `python -m bot serve ...` at start,
Rasa's tracker store (bot/rasa_stores.py) and the action server (actions/)
when loaded, every CLI command through bot/cli.
"""

from __future__ import annotations

import logging
import re

from bot.privacy.hashing import phone_hash
from bot.privacy.redaction import redact
from bot.settings import get_settings

PHONE = re.compile(
    r"(?<![\w+])(?:"
    r"\+\d{1,3}(?:[ .\-]?\(?0?\)?)?(?:[ .\-]?\d){6,13}"  # +33 6 12 34 56 78, +33612345678
    r"|00\d{2}(?:[ .\-]?\d){8,12}"  # 0033 6 12 34 56 78
    r"|0[1-9](?:[ .\-]?\d{2}){4}"  # 06 12 34 56 78, 06.12.34.56.78
    r")(?![\w])"
)

_installed = False


def _phone_token(match: re.Match) -> str:
    from bot.phones import to_e164

    raw = match.group(0)
    e164 = to_e164(raw, get_settings().sms_default_region) or "+" + re.sub(r"\D", "", raw)
    return "tel#" + phone_hash(e164)[:12]


def mask_phones(text: str) -> str:
    return PHONE.sub(_phone_token, text)


def scrub(text: str) -> str:
    """A log line with secrets masked and phone numbers replaced by their keyed hash."""
    if not text:
        return text
    return mask_phones(redact(text))


def scrub_record(record: logging.LogRecord) -> logging.LogRecord:
    """Format the message now, scrubbed; same for the traceback, if any."""
    if getattr(record, "_scrubbed", False):
        return record
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: keep what can be kept
        message = f"{record.msg} {record.args}"
    record.msg, record.args = scrub(message), ()
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = scrub(record.exc_text)
    if record.stack_info:
        record.stack_info = scrub(record.stack_info)
    record._scrubbed = True
    return record


class RedactingFilter(logging.Filter):
    """The same scrubbing as a handler filter, for handlers made elsewhere."""

    def filter(self, record: logging.LogRecord) -> bool:
        scrub_record(record)
        return True


def install_log_redaction() -> None:
    """Scrub every log record created in this process from now on (idempotent)."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs) -> logging.LogRecord:
        return scrub_record(previous(*args, **kwargs))

    logging.setLogRecordFactory(factory)
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactingFilter())
    _installed = True
