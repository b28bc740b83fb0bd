"""Redaction of Rasa events before the tracker store writes them.

The assistant reads the person's message as it came (in memory, for the NLU
and the actions), but what reaches the database is masked: user text, the
NLU's copy of it and its entity values, bot text, metadata and slot values.
See bot/rasa_stores.py.
"""

from __future__ import annotations

from bot.privacy.redaction import redact, redact_value

# Keys of a serialised event that may hold what a person wrote.
_TEXT_KEYS = ("text",)
_NESTED_KEYS = ("parse_data", "metadata", "data", "value")


def redact_event(data: dict) -> dict:
    """A copy of one serialised event (`Event.as_dict()`) with every secret masked."""
    clean = dict(data)
    for key in _TEXT_KEYS:
        if isinstance(clean.get(key), str):
            clean[key] = redact(clean[key])
    for key in _NESTED_KEYS:
        if key in clean:
            clean[key] = redact_value(clean[key])
    return clean
