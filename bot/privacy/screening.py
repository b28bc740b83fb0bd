"""Screening an incoming message before the assistant sees or stores it.

Every channel (SMS, web widget) calls `screen_inbound` on text already
cleaned (bot/text_cleaning.py; cleaned again here): card numbers,
IBANs, social security numbers, passwords and one-time codes are masked
(bot/privacy/redaction.py), and the person is warned never to send them
(bot/texts/privacy.py: secret_warning).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.privacy.redaction import redact
from bot.text_cleaning import clean_text


@dataclass(frozen=True)
class Screened:
    text: str  # what the assistant may read and store
    had_secret: bool  # warn the person (bot.texts.privacy.secret_warning)


def screen_inbound(text: str) -> Screened:
    text = clean_text(text or "")  # the channels clean first; cleaning twice changes nothing
    masked = redact(text)
    return Screened(masked, masked != text)
