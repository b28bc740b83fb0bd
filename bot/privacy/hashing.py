"""Keyed hashes of phone numbers: how logs, Rasa conversation ids and the
opt-out list name a person without holding their number.

The key is HASH_KEY, read at the entry points and passed in (an `SmsConfig`, a
`LoginLimit`, the log redaction...): this module never reads the settings.
"""

from __future__ import annotations

import hashlib
import hmac


def keyed_hash(value: str, key: str) -> str:
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()[:32]


def phone_hash(e164: str, key: str) -> str:
    """The keyed hash of a phone number already normalised to E.164."""
    return keyed_hash("phone:" + e164, key)
