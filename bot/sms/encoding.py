"""Keeping SMS cheap and readable: GSM-7 where it costs no meaning, and segment counts.

One character outside the GSM 03.38 alphabet makes the whole message UCS-2:
70 characters a segment instead of 160. Typographic punctuation is always
replaced by its plain twin. French letters outside GSM-7 (â ê î ô û ë ï ç œ,
most capitals with accents) are folded to their base letter when
SMS_FOLD_ACCENTS is on; é è à ù, which GSM-7 has, are kept. Encodability and
lengths come from the `gsm0338` codec, not from a hand-made table.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

import gsm0338  # noqa: F401  (registers the "gsm03.38" codec)

CODEC = "gsm03.38"

# Replacements that change no meaning.
TYPOGRAPHY = {
    "\u2019": "'",
    "\u2018": "'",
    "\u201a": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2010": "-",
    "\u2011": "-",
    "\u2212": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\u2007": " ",
    "\u200b": "",
    "\u2022": "-",
    "\u00b7": "-",
}
# Letters that have no one-letter base form.
LIGATURES = {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"}


def gsm_length(text: str) -> int | None:
    """Septets in GSM-7 (extension characters count two), or None when not encodable."""
    try:
        return len(text.encode(CODEC))
    except (UnicodeEncodeError, ValueError):
        return None


def is_gsm(text: str) -> bool:
    return gsm_length(text) is not None


def fold_char(char: str) -> str:
    if is_gsm(char):
        return char
    if char in LIGATURES:
        return LIGATURES[char]
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    return base if base and is_gsm(base) else char


def normalise(text: str, fold_accents: bool) -> str:
    text = "".join(TYPOGRAPHY.get(c, c) for c in text)
    if fold_accents:
        text = "".join(fold_char(c) for c in text)
    return text


@dataclass(frozen=True)
class Segments:
    encoding: str  # "GSM-7" or "UCS-2"
    count: int
    length: int  # septets (GSM-7) or UTF-16 code units (UCS-2)


def count_segments(text: str) -> Segments:
    septets = gsm_length(text)
    if septets is not None:
        count = 1 if septets <= 160 else math.ceil(septets / 153)
        return Segments("GSM-7", count, septets)
    units = len(text.encode("utf-16-le")) // 2
    count = 1 if units <= 70 else math.ceil(units / 67)
    return Segments("UCS-2", count, units)
