"""Text helpers with no Rasa or spaCy import: the normalised form of a word.

The tokenizer (bot/nlu/french.py), the answer classifier's features and the negation
scopes all read words in this form: lowercase, no accents, no repeated letters.
"""

from __future__ import annotations

import re
import unicodedata

REPEATED_LETTER = re.compile(r"([^\W\d_])\1+")


def normalise(word: str) -> str:
    """Lowercase, accents stripped, runs of one letter made single: "Téléphoonne" -> "telephone"."""
    decomposed = unicodedata.normalize("NFD", word.lower().replace("\u2019", "'"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return REPEATED_LETTER.sub(r"\1", unicodedata.normalize("NFC", plain))
