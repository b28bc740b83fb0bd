"""The signature receivers check: `X-Aidenum-Signature: sha256=<hex>`, the
HMAC-SHA256 with the subscription's secret of `<timestamp>.<body>`, where
`<timestamp>` is `X-Aidenum-Timestamp` (Unix seconds) and `<body>` the raw
bytes of the request body. Receivers also refuse an old timestamp (replay)."""

from __future__ import annotations

import hashlib
import hmac

EVENT_HEADER = "X-Aidenum-Event"
DELIVERY_HEADER = "X-Aidenum-Delivery"
TIMESTAMP_HEADER = "X-Aidenum-Timestamp"
SIGNATURE_HEADER = "X-Aidenum-Signature"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    message = str(int(timestamp)).encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def signed_headers(secret: str, *, kind: str, delivery_uid: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "aidenum-webhooks/1",
        EVENT_HEADER: kind,
        DELIVERY_HEADER: delivery_uid,
        TIMESTAMP_HEADER: str(int(timestamp)),
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }


def verify(secret: str, timestamp: str, body: bytes, header: str) -> bool:
    """What a receiver does (the README's snippet, for our own tests of the contract)."""
    return hmac.compare_digest(signature(secret, int(timestamp), body), header or "")
