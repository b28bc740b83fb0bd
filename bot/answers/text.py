"""Folding text for searches: lower case, no accents."""

from __future__ import annotations

import unicodedata


def folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
