"""Talking to the live bot's SMS webhooks exactly as Twilio does.

Requests are form-encoded and signed with the twilio library's own
RequestValidator over PUBLIC_URL + path (the servers run behind a pretend
reverse proxy: PUBLIC_URL is not the address the tests post to). Outbound
SMS are read from the Twilio HTTP edge's record file.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass

from twilio.request_validator import RequestValidator

from tests.support.live_bot import PUBLIC_URL, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN
from tests.support.twilio_edge import recorded

WEBHOOK = "/webhooks/twilio_sms/webhook"
STATUS = "/webhooks/twilio_sms/status"


@dataclass
class Answer:
    status: int
    body: str
    content_type: str


def inbound_params(phone: str, body: str, sid: str | None = None, num_media: int = 0) -> dict[str, str]:
    sid = sid or "SM" + uuid.uuid4().hex
    params = {
        "ToCountry": "FR",
        "SmsMessageSid": sid,
        "NumMedia": str(num_media),
        "SmsSid": sid,
        "SmsStatus": "received",
        "Body": body,
        "FromCountry": "FR",
        "To": "+33700000000",
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": TEST_ACCOUNT_SID,
        "From": phone,
        "ApiVersion": "2010-04-01",
        "ToCity": "",
        "FromZip": "",
    }
    for i in range(num_media):
        params[f"MediaContentType{i}"] = "image/jpeg"
        params[f"MediaUrl{i}"] = (
            f"https://api.twilio.com/2010-04-01/Accounts/{TEST_ACCOUNT_SID}/Messages/MM1/Media/ME{i}"
        )
    return params


def twilio_signature(path: str, params: dict, token: str = TEST_AUTH_TOKEN, base: str = PUBLIC_URL) -> str:
    return RequestValidator(token).compute_signature(base + path, params)


def post(bot, path: str, params: dict, signature: str | None = "sign", *, tamper: dict | None = None) -> Answer:
    """POST the form; `signature="sign"` signs it as Twilio would, None sends no header."""
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"}
    if signature == "sign":
        signature = twilio_signature(path, params)
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
    data = urllib.parse.urlencode({**params, **(tamper or {})}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{bot.rasa_port}{path}", data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return Answer(response.status, response.read().decode(), response.headers.get("Content-Type", ""))
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read().decode(), error.headers.get("Content-Type", ""))


def fresh_mobile() -> str:
    """A French mobile number no other test uses. In +33 6 1x xx xx xx: not every 06 number is valid
    (0639 and most of 069x are overseas or unassigned), and the webhook refuses an invalid sender in
    silence, so a random 06 number lost about one test run in twelve."""
    return f"+3361{uuid.uuid4().int % 10**7:07d}"


def text(bot, phone: str, body: str, **kwargs) -> Answer:
    return post(bot, WEBHOOK, inbound_params(phone, body, **kwargs))


def sms_to(bot, phone: str) -> list[str]:
    """Bodies of every SMS sent to `phone` through the Twilio API, in order."""
    return [r["data"]["Body"] for r in recorded(bot.twilio_record_file) if r["data"].get("To") == phone]


def new_sms(bot, phone: str, before: int) -> list[str]:
    return sms_to(bot, phone)[before:]


def status_callback(bot, sid: str, status: str, error_code: str | None = None) -> Answer:
    params = {
        "MessageSid": sid,
        "SmsSid": sid,
        "MessageStatus": status,
        "SmsStatus": status,
        "AccountSid": TEST_ACCOUNT_SID,
        "To": "+33600000000",
        "From": "+33700000000",
        "ApiVersion": "2010-04-01",
    }
    if error_code:
        params["ErrorCode"] = error_code
    return post(bot, STATUS, params)
