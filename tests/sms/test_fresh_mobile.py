"""The live tests' fresh senders are numbers the webhook accepts (an invalid one is dropped in silence)."""

from bot.phones import to_e164
from tests.sms.live import fresh_mobile


def test_every_fresh_mobile_is_a_valid_french_number():
    numbers = [fresh_mobile() for _ in range(2000)]
    assert all(to_e164(n, "FR") == n for n in numbers)
    assert len(set(numbers)) > 1990
