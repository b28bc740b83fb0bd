"""Signatures: the local token without Twilio credentials, blank parameters kept."""

from __future__ import annotations

from twilio.request_validator import RequestValidator

from bot.settings import get_settings, reload_settings
from bot.sms.signature import auth_token, is_signed, parse_form, public_url_for, sign


def test_without_credentials_a_local_token_signs_and_checks(monkeypatch):
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "")
    monkeypatch.setenv("PUBLIC_URL", "http://localhost:5005/")
    reload_settings()
    try:
        token = auth_token(get_settings())
        assert token and token != ""
        url = public_url_for(get_settings().public_url, "/webhooks/twilio_sms/webhook")
        assert url == "http://localhost:5005/webhooks/twilio_sms/webhook"
        params = {"From": "+33612345678", "Body": "", "MessageSid": "SM1"}
        signature = sign(url, params, token)
        form = parse_form(b"From=%2B33612345678&Body=&MessageSid=SM1")
        assert form.first("Body") == "" and "Body" in form  # the blank Body Twilio signs is kept
        assert is_signed(url, form, signature, token)
        assert not is_signed(url, form, RequestValidator("other").compute_signature(url, params), token)
        assert not is_signed(url, form, None, token)
        assert public_url_for(get_settings().public_url, "/x", "a=1") == "http://localhost:5005/x?a=1"
    finally:
        monkeypatch.undo()
        reload_settings()
