"""What the SMS service and the phone line cost a month, from the city's own Twilio prices.

Twilio publishes no French price list that this project could read and date (README, "What it
costs"); its Pricing API gives each account its own prices: `/v1/Messaging/Countries/FR`
(SMS sent per mobile network, SMS received per number type), `/v2/Voice/Countries/FR` (calls
received per number type) and `/v1/PhoneNumbers/Countries/FR` (number rental per type). This
module turns those three answers and the city's volumes into a monthly estimate. Two prices are
not in that API: the short code's lease (quoted by Twilio when the short code is ordered) and the
speech recognition of `<Gather input="speech">` (per 15-second unit, on Twilio's voice pricing);
they are passed in, and the estimate says when one is missing rather than guessing it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from statistics import median


@dataclass(frozen=True)
class Volumes:
    """A month of the service."""

    sms_received: int = 3000
    sms_sent: int = 4000
    segments_per_sms: Decimal = Decimal("1.5")  # `python -m bot bench-sms` gives the city's own figure
    calls: int = 300
    minutes_per_call: Decimal = Decimal("4")
    speech_units_per_call: int = 10  # one 15-second unit per spoken answer, about


@dataclass(frozen=True)
class ContractPrices:
    """The prices the Pricing API does not give (None: unknown, left out of the total)."""

    short_code_month: Decimal | None = None
    speech_unit: Decimal | None = None


@dataclass
class Estimate:
    unit: str
    lines: list[tuple[str, Decimal | None, str]] = field(default_factory=list)  # label, amount, basis

    @property
    def total(self) -> Decimal:
        return sum((amount for _, amount, _ in self.lines if amount is not None), Decimal("0"))

    @property
    def missing(self) -> list[str]:
        return [label for label, amount, _ in self.lines if amount is None]


def _price(entry: dict) -> Decimal | None:
    value = entry.get("current_price") or entry.get("base_price")
    return Decimal(str(value)) if value not in (None, "") else None


def _by_type(entries: list[dict] | None, number_type: str) -> Decimal | None:
    for entry in entries or []:
        if str(entry.get("number_type", "")).lower().replace(" ", "") == number_type:
            return _price(entry)
    return None


def outbound_sms_price(messaging: dict, number_type: str) -> Decimal | None:
    """The median, over France's mobile networks, of the price of one segment sent from `number_type`."""
    prices = [
        p
        for carrier in messaging.get("outbound_sms_prices") or []
        if (p := _by_type(carrier.get("prices"), number_type)) is not None
    ]
    return Decimal(str(median(prices))) if prices else None


def estimate(
    messaging: dict,
    voice: dict,
    numbers: dict,
    volumes: Volumes,
    contract: ContractPrices,
    sms_number_type: str = "shortcode",
    voice_number_type: str = "local",
) -> Estimate:
    """The month's cost: SMS segments both ways, the short code, calls received, recognition, the voice number."""
    unit = messaging.get("price_unit") or voice.get("price_unit") or numbers.get("price_unit") or "?"
    result = Estimate(unit=unit)

    def line(label: str, price: Decimal | None, quantity: Decimal, basis: str) -> None:
        result.lines.append(
            (
                label,
                None if price is None else (price * quantity).quantize(Decimal("0.01")),
                basis if price is None else f"{quantity} x {price} {unit}",
            )
        )

    segments_in = Decimal(volumes.sms_received) * volumes.segments_per_sms
    segments_out = Decimal(volumes.sms_sent) * volumes.segments_per_sms
    line(
        "SMS received (segments)",
        _by_type(messaging.get("inbound_sms_prices"), sms_number_type),
        segments_in,
        f"no inbound price for '{sms_number_type}' in the Messaging pricing",
    )
    line(
        "SMS sent (segments)",
        outbound_sms_price(messaging, sms_number_type),
        segments_out,
        f"no outbound price for '{sms_number_type}' in the Messaging pricing",
    )
    line(
        "Short code lease",
        contract.short_code_month,
        Decimal(1),
        "lease quoted by Twilio with the short code: pass --short-code-month",
    )
    minutes = Decimal(volumes.calls) * volumes.minutes_per_call
    line(
        "Calls received (minutes)",
        _by_type(voice.get("inbound_call_prices"), voice_number_type),
        minutes,
        f"no inbound call price for '{voice_number_type}' in the Voice pricing",
    )
    line(
        "Speech recognition (15 s units)",
        contract.speech_unit,
        Decimal(volumes.calls * volumes.speech_units_per_call),
        "per 15-second unit, on Twilio's voice pricing: pass --speech-unit",
    )
    line(
        "Voice number rental",
        _by_type(numbers.get("phone_number_prices"), voice_number_type),
        Decimal(1),
        f"no '{voice_number_type}' number price in the PhoneNumbers pricing",
    )
    return result


def report(result: Estimate, country: str) -> str:
    rows = [f"Monthly cost estimate, {country}, prices in {result.unit} (your account's Twilio Pricing API)"]
    for label, amount, basis in result.lines:
        shown = f"{amount:>10}" if amount is not None else f"{'?':>10}"
        rows.append(f"  {label:<32}{shown}   {basis}")
    rows.append(f"  {'Total (known lines)':<32}{result.total:>10}")
    if result.missing:
        rows.append("  Not in the total: " + ", ".join(result.missing) + ".")
    return "\n".join(rows)
