"""`python -m bot sms`: text the assistant as a phone would, without Twilio.

Each line you type is posted to the running Rasa server's SMS webhook exactly
as Twilio posts it (form parameters, a fresh MessageSid, X-Twilio-Signature
computed over PUBLIC_URL + path with the configured auth token, or the local
token when there are no Twilio credentials). The replies are then read from
the outbound records (the local outbox without credentials) and printed.

  python -m bot sms                       # interactive, from +33612345678
  python -m bot sms --from 0611223344 "bonjour"
  python -m bot sms --media "voici une photo"   # an MMS with one image
"""

from __future__ import annotations

import argparse
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

from sqlalchemy import select

from bot.cli import command_engine
from bot.db import session_scope
from bot.phones import to_e164
from bot.privacy.hashing import phone_hash
from bot.settings import get_settings
from bot.sms.models import OutboundMessage
from bot.sms.signature import HEADER, auth_token, public_url_for, sign

WEBHOOK_PATH = "/webhooks/twilio_sms/webhook"


def twilio_params(from_e164: str, body: str, media: bool = False) -> dict[str, str]:
    """The form parameters Twilio sends for an inbound SMS (or MMS)."""
    settings = get_settings()
    sid = "SM" + uuid.uuid4().hex
    params = {
        "ToCountry": "FR",
        "ToState": "",
        "SmsMessageSid": sid,
        "NumMedia": "1" if media else "0",
        "ToCity": "",
        "FromZip": "",
        "SmsSid": sid,
        "FromState": "",
        "SmsStatus": "received",
        "FromCity": "",
        "Body": body,
        "FromCountry": "FR",
        "To": settings.twilio_from_number or "+33700000000",
        "ToZip": "",
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": settings.twilio_account_sid or "AC" + "0" * 32,
        "From": from_e164,
        "ApiVersion": "2010-04-01",
    }
    if media:
        params.update(
            {
                "MediaContentType0": "image/jpeg",
                "MediaUrl0": "https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME",
            }
        )
    return params


def post_signed(server: str, params: dict[str, str], path: str = WEBHOOK_PATH) -> tuple[int, str]:
    """POST as Twilio does; returns the HTTP status and body."""
    data = urllib.parse.urlencode(params).encode()
    request = urllib.request.Request(
        server.rstrip("/") + path,
        data=data,
        method="POST",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            HEADER: sign(public_url_for(get_settings().public_url, path), params, auth_token(get_settings())),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def last_outbound_id(e164: str) -> int:
    with session_scope(command_engine()) as session:
        ids = (
            session.execute(
                select(OutboundMessage.id)
                .where(OutboundMessage.to_hash == phone_hash(e164, get_settings().hash_key))
                .order_by(OutboundMessage.id.desc())
                .limit(1)
            )
            .scalars()
            .all()
        )
    return ids[0] if ids else 0


def replies_since(e164: str, after_id: int) -> list[OutboundMessage]:
    with session_scope(command_engine()) as session:
        return list(
            session.execute(
                select(OutboundMessage)
                .where(
                    OutboundMessage.to_hash == phone_hash(e164, get_settings().hash_key), OutboundMessage.id > after_id
                )
                .order_by(OutboundMessage.id)
            ).scalars()
        )


def exchange(server: str, e164: str, text: str, media: bool = False, wait: float = 3.0) -> list[OutboundMessage]:
    before = last_outbound_id(e164)
    status, body = post_signed(server, twilio_params(e164, text, media))
    if status != 200:
        print(f"(the webhook answered {status}: {body[:200]})", file=sys.stderr)
        return []
    replies = replies_since(e164, before)
    deadline = time.monotonic() + wait
    while not replies and time.monotonic() < deadline:  # the webhook may answer before the replies
        time.sleep(0.3)
        replies = replies_since(e164, before)
    return replies


def main(argv: list[str]) -> int:
    settings = get_settings()
    parser = argparse.ArgumentParser(prog="python -m bot sms", description=__doc__.split("\n\n")[0])
    parser.add_argument("message", nargs="*", help="the SMS to send (none: type them one per line)")
    parser.add_argument("--from", dest="sender", default="+33612345678", help="your phone number")
    parser.add_argument(
        "--server",
        default=f"http://127.0.0.1:{settings.rasa_port}",
        help="the Rasa server (default: this machine, RASA_PORT)",
    )
    parser.add_argument("--media", action="store_true", help="send it as an MMS with one image")
    args = parser.parse_args(argv)
    if auth_token(settings) is None:
        print(
            "No signing token: set TWILIO_AUTH_TOKEN, or run `make run` once (it writes a random HASH_KEY "
            "into .env; the local token is derived from it, never from the default key).",
            file=sys.stderr,
        )
        return 2
    e164 = to_e164(args.sender, settings.sms_default_region)
    if e164 is None:
        print(f"not a phone number: {args.sender}", file=sys.stderr)
        return 2

    def one(text: str) -> None:
        for message in exchange(args.server, e164, text, args.media):
            print(
                f"bot> {message.body}\n     [{message.purpose}, {message.status}, "
                f"{message.segments} SMS {message.encoding}]",
                flush=True,
            )

    if args.message:
        one(" ".join(args.message))
        return 0
    print(f"Texting the assistant at {args.server} from {e164} (Ctrl-D to stop).")
    for line in sys.stdin:
        one(line.rstrip("\n"))
    return 0
