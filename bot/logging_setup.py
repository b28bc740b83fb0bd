"""Logs never hold a plain phone number or a secret someone wrote.

`install_log_redaction(key, region)` makes every log record of the process pass through
`scrub`: phone numbers (E.164 and French formats) become `tel#<keyed hash>`
(the same keyed hash as bot.privacy.hashing.phone_hash, so one person can be
followed across log lines without their number; `key` is HASH_KEY, `region` SMS_DEFAULT_REGION
for a number written without its country code), and card numbers, IBANs,
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

PHONE = re.compile(
    r"(?<![\w+])(?:"
    r"\+\d{1,3}(?:[ .\-]?\(?0?\)?)?(?:[ .\-]?\d){6,13}"  # +33 6 12 34 56 78, +33612345678
    r"|00\d{2}(?:[ .\-]?\d){8,12}"  # 0033 6 12 34 56 78
    r"|0[1-9](?:[ .\-]?\d{2}){4}"  # 06 12 34 56 78, 06.12.34.56.78
    r")(?![\w])"
)

_installed = False


def mask_phones(text: str, key: str, region: str) -> str:
    from bot.phones import to_e164

    def token(match: re.Match) -> str:
        raw = match.group(0)
        e164 = to_e164(raw, region) or "+" + re.sub(r"\D", "", raw)
        return "tel#" + phone_hash(e164, key)[:12]

    return PHONE.sub(token, text)


def scrub(text: str, key: str, region: str) -> str:
    """A log line with secrets masked and phone numbers replaced by their keyed hash."""
    if not text:
        return text
    return mask_phones(redact(text), key, region)


def scrub_record(record: logging.LogRecord, key: str, region: str) -> logging.LogRecord:
    """Format the message now, scrubbed; same for the traceback, if any."""
    if getattr(record, "_scrubbed", False):
        return record
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: keep what can be kept
        message = f"{record.msg} {record.args}"
    record.msg, record.args = scrub(message, key, region), ()
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = scrub(record.exc_text, key, region)
    if record.stack_info:
        record.stack_info = scrub(record.stack_info, key, region)
    record._scrubbed = True
    return record


class RedactingFilter(logging.Filter):
    """The same scrubbing as a handler filter, for handlers made elsewhere."""

    def __init__(self, key: str, region: str) -> None:
        super().__init__()
        self.key, self.region = key, region

    def filter(self, record: logging.LogRecord) -> bool:
        scrub_record(record, self.key, self.region)
        return True


def install_log_redaction(key: str, region: str) -> None:
    """Scrub every log record created in this process from now on (idempotent: the first call's
    `key`, HASH_KEY, and `region`, SMS_DEFAULT_REGION, stay)."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs) -> logging.LogRecord:
        return scrub_record(previous(*args, **kwargs), key, region)

    logging.setLogRecordFactory(factory)
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactingFilter(key, region))
    _installed = True
