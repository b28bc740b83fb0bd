"""A subscription's signing secret, derived rather than stored.

The product has no encryption helper (and the desk's Python has no
`cryptography`), and a hash would not do: the job must sign with the secret
itself. So the secret is HMAC-SHA256(HASH_KEY, "webhook-secret:" + nonce), where
the nonce is random and stored. The database alone does not give it; the desk
shows it once, when it is made; "Nouveau secret" draws a new nonce (the old
secret stops at once). Changing HASH_KEY changes every secret (and every
phone hash: it is not rotated lightly): give each receiver its new secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

PREFIX = "whsec_"


def new_nonce() -> str:
    return secrets.token_hex(32)


def signing_secret(key: str, nonce: str) -> str:
    digest = hmac.new(key.encode("utf-8"), f"webhook-secret:{nonce}".encode("utf-8"), hashlib.sha256).digest()
    return PREFIX + base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def hint(secret: str) -> str:
    """What the desk shows of a secret once it is no longer shown: its last 4 characters."""
    return "…" + secret[-4:]
