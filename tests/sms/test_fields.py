"""Twilio's fields checked before anything is recorded (bot/sms/fields.py)."""

from __future__ import annotations

import uuid

from bot.cli.sms import twilio_params
from bot.sms.fields import inbound_problem, status_problem
from bot.sms.signature import FormParams


def form(params: dict) -> FormParams:
    return FormParams({key: [value] for key, value in params.items()})


def test_what_twilio_and_python_m_bot_sms_send_passes():
    assert inbound_problem(form(twilio_params("+33612345678", "bonjour"))) is None
    assert inbound_problem(form(twilio_params("+33612345678", "photo", media=True))) is None
    sid = "SM" + uuid.uuid4().hex
    assert (
        status_problem(
            form({"MessageSid": sid, "MessageStatus": "delivered", "AccountSid": "AC" + "0" * 32, "ErrorCode": "30003"})
        )
        is None
    )


def test_each_bad_field_is_named():
    good = twilio_params("+33612345678", "bonjour")
    for name, value in (
        ("MessageSid", "SM" + "a" * 33),
        ("MessageSid", "SM" + "a" * 32 + "\n"),
        ("MessageSid", "sm" + "a" * 32),
        ("SmsSid", "x"),
        ("AccountSid", "AC123"),
        ("From", "+33\x006"),
        ("NumMedia", "100"),
        ("Body", "x" * 1601),
    ):
        assert inbound_problem(form({**good, name: value})) == name, (name, value)
    assert inbound_problem(FormParams({**form(good), "MessageSid": [good["MessageSid"]] * 2})) == "MessageSid"
    assert (
        status_problem(
            form({"MessageSid": "SM" + "0" * 32, "AccountSid": "AC" + "0" * 32, "MessageStatus": "de\nlivered"})
        )
        == "MessageStatus"
    )
