"""`python -m bot costs`: the month's Twilio cost of the service, from the account's own prices.

Reads the prices with the twilio library's Pricing API (the account of TWILIO_ACCOUNT_SID), and
the volumes and the two contract prices the API does not give from the options; prints a table.
"""

from __future__ import annotations

import argparse
from decimal import Decimal


def fetch_prices(client, country: str) -> tuple[dict, dict, dict]:
    """The Messaging, Voice and PhoneNumbers pricing of `country`, as plain dicts."""
    messaging = client.pricing.v1.messaging.countries(country).fetch()
    voice = client.pricing.v2.voice.countries(country).fetch()
    numbers = client.pricing.v1.phone_numbers.countries(country).fetch()
    return (
        {
            "price_unit": messaging.price_unit,
            "inbound_sms_prices": messaging.inbound_sms_prices,
            "outbound_sms_prices": messaging.outbound_sms_prices,
        },
        {"price_unit": voice.price_unit, "inbound_call_prices": voice.inbound_call_prices},
        {"price_unit": numbers.price_unit, "phone_number_prices": numbers.phone_number_prices},
    )


def main(argv: list[str]) -> int:
    from bot.costs import ContractPrices, Volumes, estimate, report

    defaults = Volumes()
    parser = argparse.ArgumentParser(
        prog="python -m bot costs",
        description=("Monthly Twilio cost estimate from your account's prices (Pricing API) and your volumes."),
    )
    parser.add_argument("--country", default="FR")
    parser.add_argument("--sms-received", type=int, default=defaults.sms_received)
    parser.add_argument("--sms-sent", type=int, default=defaults.sms_sent)
    parser.add_argument(
        "--segments-per-sms",
        type=Decimal,
        default=defaults.segments_per_sms,
        help="average segments per SMS (python -m bot bench-sms)",
    )
    parser.add_argument("--calls", type=int, default=defaults.calls)
    parser.add_argument("--minutes-per-call", type=Decimal, default=defaults.minutes_per_call)
    parser.add_argument("--speech-units-per-call", type=int, default=defaults.speech_units_per_call)
    parser.add_argument(
        "--short-code-month", type=Decimal, default=None, help="the short code's monthly lease, from Twilio's quote"
    )
    parser.add_argument(
        "--speech-unit",
        type=Decimal,
        default=None,
        help="speech recognition price per 15 seconds, from Twilio's voice pricing",
    )
    parser.add_argument(
        "--sms-number-type",
        default="shortcode",
        help="number type the SMS use in the pricing (shortcode, local, mobile...)",
    )
    parser.add_argument("--voice-number-type", default="local")
    args = parser.parse_args(argv)

    from bot.settings import get_settings
    from bot.sms.outbound import SmsConfig, twilio_client

    settings = get_settings()
    if not settings.twilio_enabled:
        print("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are needed: the prices are your account's.")
        return 2
    messaging, voice, numbers = fetch_prices(twilio_client(SmsConfig.of(settings), None), args.country)
    volumes = Volumes(
        sms_received=args.sms_received,
        sms_sent=args.sms_sent,
        segments_per_sms=args.segments_per_sms,
        calls=args.calls,
        minutes_per_call=args.minutes_per_call,
        speech_units_per_call=args.speech_units_per_call,
    )
    contract = ContractPrices(short_code_month=args.short_code_month, speech_unit=args.speech_unit)
    print(
        report(
            estimate(
                messaging,
                voice,
                numbers,
                volumes,
                contract,
                sms_number_type=args.sms_number_type,
                voice_number_type=args.voice_number_type,
            ),
            args.country,
        )
    )
    return 0
