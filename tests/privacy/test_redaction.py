"""Secrets written in messages are masked; ordinary numbers are kept."""

from __future__ import annotations

import pytest

from bot.privacy.redaction import MASK, redact


def nir(base: str) -> str:
    return f"{base}{97 - int(base) % 97:02d}"


@pytest.mark.parametrize(
    "text",
    [
        "ma carte 4111 1111 1111 1111 exp 12/27",
        "4970-1012-3456-7893",
        "iban FR76 3000 6000 0112 3456 7890 189",
        f"mon numero de secu {nir('1850578006084')}",
        "mon mot de passe est Soleil2024!",
        "mdp: azerty123",
        "j'ai recu le code 482913 par sms",
    ],
)
def test_secrets_are_masked(text):
    assert MASK in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "appelez moi au 06 12 34 56 78",
        "rdv le 12/03/2026 a 14h30",
        "j'habite au 57070",
        "4111 1111 1111 1112",  # fails the Luhn check
        "FR76 3000 6000 0112 3456 7890 188",  # fails mod 97
        "j'ai 78 ans",
    ],
)
def test_ordinary_numbers_are_kept(text):
    assert redact(text) == text
