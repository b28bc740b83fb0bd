"""Signatures: the local token without Twilio credentials, blank parameters kept."""
from __future__ import annotations

from twilio.request_validator import RequestValidator

from bot.settings import reload_settings
from bot.sms.signature import auth_token, is_signed, parse_form, public_url_for, sign


def test_without_credentials_a_local_token_signs_and_checks(monkeypatch):
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "")
    monkeypatch.setenv("PUBLIC_URL", "http://localhost:5005/")
    reload_settings()
    try:
        token = auth_token()
        assert token and token != ""
        url = public_url_for("/webhooks/twilio_sms/webhook")
        assert url == "http://localhost:5005/webhooks/twilio_sms/webhook"
        params = {"From": "+33612345678", "Body": "", "MessageSid": "SM1"}
        signature = sign(url, params)
        form = parse_form(b"From=%2B33612345678&Body=&MessageSid=SM1")
        assert form.first("Body") == "" and "Body" in form  # the blank Body Twilio signs is kept
        assert is_signed(url, form, signature)
        assert not is_signed(url, form, RequestValidator("other").compute_signature(url, params))
        assert not is_signed(url, form, None)
        assert public_url_for("/x", "a=1") == "http://localhost:5005/x?a=1"
    finally:
        monkeypatch.undo()
        reload_settings()
