"""`python -m bot costs`: the month's cost from the account's Twilio prices (Pricing API, faked at the edge)."""

from __future__ import annotations

import json
import logging
from decimal import Decimal

from twilio.http import HttpClient
from twilio.http.response import Response

from bot.cli import costs as costs_cli
from bot.costs import ContractPrices, Volumes, estimate, outbound_sms_price, report

# Shaped as Twilio documents the three Pricing resources (values made up for the test).
MESSAGING = {
    "country": "France",
    "iso_country": "FR",
    "price_unit": "EUR",
    "url": "https://pricing.twilio.com/v1/Messaging/Countries/FR",
    "inbound_sms_prices": [
        {"number_type": "shortcode", "base_price": "0.0100", "current_price": "0.0100"},
        {"number_type": "mobile", "base_price": "0.0050", "current_price": "0.0050"},
    ],
    "outbound_sms_prices": [
        {
            "carrier": "Orange",
            "mcc": "208",
            "mnc": "01",
            "prices": [{"number_type": "shortcode", "base_price": "0.0800", "current_price": "0.0800"}],
        },
        {
            "carrier": "SFR",
            "mcc": "208",
            "mnc": "10",
            "prices": [{"number_type": "shortcode", "base_price": "0.0700", "current_price": "0.0700"}],
        },
        {
            "carrier": "Free",
            "mcc": "208",
            "mnc": "15",
            "prices": [{"number_type": "shortcode", "base_price": "0.0900", "current_price": "0.0750"}],
        },
    ],
}
VOICE = {
    "country": "France",
    "iso_country": "FR",
    "price_unit": "EUR",
    "url": "https://pricing.twilio.com/v2/Voice/Countries/FR",
    "outbound_prefix_prices": [],
    "inbound_call_prices": [
        {"number_type": "local", "base_price": "0.0100", "current_price": "0.0100"},
        {"number_type": "toll free", "base_price": "0.0500", "current_price": "0.0500"},
    ],
}
NUMBERS = {
    "country": "France",
    "iso_country": "FR",
    "price_unit": "EUR",
    "url": "https://pricing.twilio.com/v1/PhoneNumbers/Countries/FR",
    "phone_number_prices": [{"number_type": "local", "base_price": "3.00", "current_price": "3.00"}],
}


class PricingEdge(HttpClient):
    """Answers the Pricing API as Twilio does, and records what was asked."""

    def __init__(self):
        super().__init__(logging.getLogger("tests.pricing_edge"), is_async=False)
        self.uris: list[str] = []

    def request(
        self, method, uri, params=None, data=None, headers=None, auth=None, timeout=None, allow_redirects=False
    ):
        self.uris.append(uri)
        for body in (MESSAGING, VOICE, NUMBERS):
            if uri == body["url"]:
                return Response(200, json.dumps(body))
        return Response(404, json.dumps({"code": 20404, "message": "not found", "status": 404}))


def test_the_prices_are_read_from_the_accounts_pricing_api():
    from twilio.rest import Client

    edge = PricingEdge()
    messaging, voice, numbers = costs_cli.fetch_prices(Client("ACtest", "token", http_client=edge), "FR")
    assert edge.uris == [MESSAGING["url"], VOICE["url"], NUMBERS["url"]]
    assert outbound_sms_price(messaging, "shortcode") == Decimal("0.075")  # median over the networks
    assert voice["inbound_call_prices"][0]["number_type"] == "local"
    assert numbers["phone_number_prices"][0]["current_price"] == "3.00"


def test_the_estimate_adds_each_line_and_names_what_it_cannot_know():
    volumes = Volumes(
        sms_received=1000,
        sms_sent=2000,
        segments_per_sms=Decimal("1.5"),
        calls=100,
        minutes_per_call=Decimal("4"),
        speech_units_per_call=10,
    )
    result = estimate(MESSAGING, VOICE, NUMBERS, volumes, ContractPrices())
    amounts = {label: amount for label, amount, _ in result.lines}
    assert amounts["SMS received (segments)"] == Decimal("15.00")  # 1500 segments x 0.01
    assert amounts["SMS sent (segments)"] == Decimal("225.00")  # 3000 segments x 0.075
    assert amounts["Calls received (minutes)"] == Decimal("4.00")  # 400 minutes x 0.01
    assert amounts["Voice number rental"] == Decimal("3.00")
    assert result.missing == ["Short code lease", "Speech recognition (15 s units)"]
    assert result.total == Decimal("247.00")
    text = report(result, "FR")
    assert "EUR" in text and "Not in the total: Short code lease" in text

    known = estimate(
        MESSAGING, VOICE, NUMBERS, volumes, ContractPrices(short_code_month=Decimal("900"), speech_unit=Decimal("0.02"))
    )
    assert known.missing == []
    assert known.total == Decimal("247.00") + Decimal("900.00") + Decimal("20.00")  # 1000 units x 0.02


def test_the_command_needs_the_accounts_credentials(monkeypatch, capsys):
    from bot.settings import reload_settings

    monkeypatch.setenv("TWILIO_ACCOUNT_SID", "")
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "")
    reload_settings()
    try:
        assert costs_cli.main([]) == 2
        assert "TWILIO_ACCOUNT_SID" in capsys.readouterr().out
    finally:
        monkeypatch.undo()
        reload_settings()


def test_the_command_prints_the_estimate(monkeypatch, capsys):
    from bot.settings import reload_settings
    from bot.sms import outbound

    monkeypatch.setenv("TWILIO_ACCOUNT_SID", "ACtest")
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "token-for-the-test")
    reload_settings()
    outbound.set_default_http_client(PricingEdge())
    try:
        assert costs_cli.main(["--short-code-month", "900", "--speech-unit", "0.02"]) == 0
        out = capsys.readouterr().out
        assert "Total (known lines)" in out and "Not in the total" not in out
    finally:
        outbound.set_default_http_client(None)
        monkeypatch.undo()
        reload_settings()
