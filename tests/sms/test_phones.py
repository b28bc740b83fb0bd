"""Phone numbers normalised to E.164 with phonenumbers (bot/phones.py)."""

from __future__ import annotations

import pytest

from bot.phones import to_e164


@pytest.mark.parametrize(
    "raw",
    [
        "06 12 34 56 78",
        "0612345678",
        "06.12.34.56.78",
        "+33 6 12 34 56 78",
        "0033612345678",
        "+33612345678",
        " 06-12-34-56-78 ",
    ],
)
def test_french_ways_of_writing_a_mobile(raw):
    assert to_e164(raw, "FR") == "+33612345678"


def test_foreign_number_keeps_its_country():
    assert to_e164("+32 470 12 34 56", "FR") == "+32470123456"


@pytest.mark.parametrize("raw", ["", "   ", "123", "bonjour", "06 12", "+33 1"])
def test_not_a_number(raw):
    assert to_e164(raw, "FR") is None
