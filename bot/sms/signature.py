"""Twilio request signatures: who may call our SMS webhooks.

Twilio signs every webhook with the account's auth token over the URL it
called plus every POST parameter (X-Twilio-Signature). Behind a reverse proxy
the URL our server sees is not the one Twilio called, so the check uses
PUBLIC_URL + the request's path and query. All parameters are kept, blank
ones included (an empty SMS has `Body=`), whatever Twilio adds in the future.

Without Twilio credentials (a developer's machine) the webhooks still demand
a signature, made with a local token derived from HASH_KEY, so that
`python -m bot sms` goes through exactly the same path as Twilio. That local
token exists only outside production and only from a HASH_KEY that is not a
default (`make run` writes a random one into `.env`): with no token at all,
every request is refused.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qs

from twilio.request_validator import RequestValidator

from bot.privacy.hashing import keyed_hash
from bot.settings import Settings, is_default_secret

HEADER = "X-Twilio-Signature"
log = logging.getLogger(__name__)


class FormParams(dict):
    """POST parameters as lists of values; `getlist` is what the validator reads."""

    def getlist(self, name: str) -> list[str]:
        return self[name]

    def first(self, name: str, default: str = "") -> str:
        values = self.get(name)
        return values[0] if values else default


def parse_form(body: bytes) -> FormParams:
    return FormParams(parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True))


class NoSigningToken(RuntimeError):
    """Neither a Twilio auth token nor a usable local one: nothing can be signed."""


def auth_token(settings: Settings) -> str | None:
    """Twilio's auth token; else, on a developer's machine with a real HASH_KEY, the local token; else None."""
    if settings.twilio_auth_token:
        return settings.twilio_auth_token
    if settings.production or is_default_secret(settings.hash_key):
        return None
    return keyed_hash("twilio-local-webhook-token", settings.hash_key)


def public_url_for(public_url: str, path: str, query_string: str = "") -> str:
    """The URL Twilio called: PUBLIC_URL + path (+ ?query)."""
    url = public_url.rstrip("/") + path
    return f"{url}?{query_string}" if query_string else url


def sign(url: str, params: dict, token: str | None) -> str:
    """The signature Twilio would send (for `python -m bot sms` and tests), with `auth_token(settings)`."""
    if not token:
        raise NoSigningToken(
            "no TWILIO_AUTH_TOKEN and no local signing token: set HASH_KEY (`make run` writes a random one into .env)"
        )
    return RequestValidator(token).compute_signature(url, params)


def is_signed(url: str, params: FormParams, signature: str | None, token: str | None) -> bool:
    if not signature or not token:
        return False
    return RequestValidator(token).validate(url, params, signature)


def signed_params(request, settings: Settings) -> FormParams | None:
    """A Sanic request's POST parameters when Twilio signed them (over PUBLIC_URL + path and
    query), else None: the one check of every Twilio webhook, SMS and voice (the channels pass
    their settings)."""
    params = parse_form(request.body or b"")
    url = public_url_for(settings.public_url, request.path, request.query_string or "")
    if not is_signed(url, params, request.headers.get(HEADER), auth_token(settings)):
        log.warning("unsigned or forged request on %s refused", request.path)
        return None
    return params
