"""Inbound SMS the assistant cannot read as they are, and their kind answers.

Images (MMS), empty and emoji-only messages and messages in another language
never reach the assistant: each gets a short French answer saying what to do
instead. A very long message gets a short word first and is still read whole
(nothing a resident writes is lost). Everything else goes on.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from bot.sms.language import looks_foreign
from bot.texts import sms as texts

# Twilio joins long messages up to 1,600 characters; past three SMS of text the
# person is told the message was received and that short ones work best.
LONG_MESSAGE_CHARS = 480


@dataclass(frozen=True)
class EdgeCase:
    kind: str  # media, empty, emoji, too_long, foreign
    reply: str
    read_text: bool  # True: the text is still read after the reply (an image with a caption)


def has_words(text: str) -> bool:
    return any(c.isalnum() for c in text)


def is_emoji_only(text: str) -> bool:
    """No letter or digit, and at least one pictograph (👍, ❤️, 😀...)."""
    stripped = "".join(c for c in text if not c.isspace())
    if not stripped or has_words(stripped):
        return False
    return any(unicodedata.category(c) in ("So", "Sk", "Cs") or ord(c) >= 0x1F000 for c in stripped)


def edge_case(text: str, num_media: int, city_phone: str) -> EdgeCase | None:
    """The kind answer to a message the assistant should not read as it is, or None."""
    text = text or ""
    if num_media > 0:
        return EdgeCase("media", texts.media_text(), read_text=has_words(text))
    if is_emoji_only(text):
        return EdgeCase("emoji", texts.emoji_text(), read_text=False)
    if not has_words(text):
        return EdgeCase("empty", texts.empty_text(), read_text=False)
    if len(text) > LONG_MESSAGE_CHARS:
        return EdgeCase("too_long", texts.too_long_text(), read_text=True)
    if looks_foreign(text):
        return EdgeCase("foreign", texts.french_only_text(city_phone), read_text=False)
    return None
