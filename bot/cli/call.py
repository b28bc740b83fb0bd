"""`python -m bot call`: call the phone line from the terminal, as Twilio would.

A call is started on the running Rasa server's voice webhook exactly as Twilio
starts it (form parameters, a fresh CallSid, X-Twilio-Signature computed with
the configured auth token, or the local token without Twilio credentials).
What the line says (its <Say>) is printed; each line you type is what you
say (SpeechResult), a line starting with `#` is keys pressed (Digits), an
empty line is silence. SMS the line sends are printed too.

  python -m bot call                          # from +33612345678
  python -m bot call --from anonymous         # a hidden number
"""

from __future__ import annotations

import argparse
import sys
import uuid
import xml.etree.ElementTree as ET

from bot.cli.sms import last_outbound_id, post_signed, replies_since
from bot.phones import to_e164
from bot.settings import get_settings

INCOMING, GATHER = "/webhooks/twilio_voice/webhook", "/webhooks/twilio_voice/gather"


def call_params(sid: str, caller: str, **extra: str) -> dict[str, str]:
    settings = get_settings()
    return {
        "AccountSid": settings.twilio_account_sid or "AC" + "0" * 32,
        "ApiVersion": "2010-04-01",
        "CallSid": sid,
        "CallStatus": "in-progress",
        "Direction": "inbound",
        "From": caller,
        "Caller": caller,
        "To": settings.voice_number or "+33387000000",
        **extra,
    }


def show(status: int, body: str) -> bool:
    """Print what the line says; False when it hung up (or failed)."""
    if status != 200:
        print(f"(the webhook answered {status}: {body[:200]})", file=sys.stderr)
        return False
    root = ET.fromstring(body)
    for say in root.iter("Say"):
        print(f"ligne> {say.text}", flush=True)
    dial = root.find("Dial")
    if dial is not None:
        print(f"(transfer to {''.join(dial.itertext()).strip()})")
        return False
    return root.find("Hangup") is None


def main(argv: list[str]) -> int:
    settings = get_settings()
    parser = argparse.ArgumentParser(prog="python -m bot call", description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="caller", default="+33612345678", help="your number, or anonymous")
    parser.add_argument(
        "--server",
        default=f"http://127.0.0.1:{settings.rasa_port}",
        help="the Rasa server (default: this machine, RASA_PORT)",
    )
    args = parser.parse_args(argv)
    e164 = to_e164(args.caller, settings.sms_default_region)
    caller = e164 or args.caller
    sid = "CA" + uuid.uuid4().hex
    print(
        f"Calling the line at {args.server} from {caller}: type what you say, #1 for keys, "
        "an empty line for silence (Ctrl-D to hang up)."
    )
    before = last_outbound_id(e164) if e164 else 0
    if not show(*post_signed(args.server, call_params(sid, caller, CallStatus="ringing"), INCOMING)):
        return 0
    for line in sys.stdin:
        line = line.strip()
        extra = (
            {"Digits": line[1:]}
            if line.startswith("#")
            else ({"SpeechResult": line, "Confidence": "0.9"} if line else {})
        )
        going_on = show(*post_signed(args.server, call_params(sid, caller, **extra), GATHER))
        if e164:
            for message in replies_since(e164, before):
                print(f"sms> {message.body}")
                before = message.id
        if not going_on:
            break
    return 0
