"""Text a resident sends, made safe to read before anything else sees it.

Every channel (SMS, the web widget, and any other text entry) calls
`clean_text` first, so the NLU, the screening, the database and the logs only
ever get well-formed text: lone surrogates (`"\\ud800"` in JSON, which is not
Unicode text and crashes spaCy's tokenizer), NUL and the other control
characters (PostgreSQL refuses NUL in text), bidirectional overrides (which
make a message read differently from what it holds) and non-characters are
removed; line breaks stay (as `\\n`), tabs become spaces; the result is in NFC
(an accented letter is one character, however the phone composed it).

`blank_invalid` is the tokenizer's safety net for text that did not come
through a channel (Rasa's shell, the classify command): it replaces the same
characters by spaces, keeping every offset of the text as it is.
"""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls except tab, line feed and carriage return; bidi embeddings,
# overrides and isolates; lone surrogates; the non-characters U+FFFE and U+FFFF.
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """`text` without what is not readable text (see the module docstring)."""
    if not text:
        return ""
    text = _INVALID.sub("", text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return unicodedata.normalize("NFC", text)


def blank_invalid(text: str) -> str:
    """The same characters replaced by spaces: same length, same offsets."""
    return _INVALID.sub(" ", text) if text else text
