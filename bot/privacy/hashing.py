"""Keyed hashes of phone numbers: how logs, Rasa conversation ids and the
opt-out list name a person without holding their number."""

from __future__ import annotations

import hashlib
import hmac

from bot.settings import get_settings


def keyed_hash(value: str, key: str | None = None) -> str:
    secret = (key if key is not None else get_settings().hash_key).encode()
    return hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()[:32]


def phone_hash(e164: str) -> str:
    """The keyed hash of a phone number already normalised to E.164."""
    return keyed_hash("phone:" + e164)
