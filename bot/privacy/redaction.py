"""Masking secrets people write in messages, before anything is stored or logged.

Card numbers (checked with Luhn), IBANs (mod 97), French social security
numbers (NIR, with its key), and passwords or one-time codes stated as such
("mon mot de passe est ...", "le code 482913") become `[masqué]`. Checks keep
ordinary numbers (phone numbers, dates, amounts) as they are.
"""
from __future__ import annotations

import re

MASK = "[masqué]"

CARD = re.compile(r"(?<!\d)(?:\d[ \-.]?){12,18}\d(?!\d)")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b", re.IGNORECASE)
NIR = re.compile(r"(?<!\d)([12])[ .]?(\d{2})[ .]?(\d{2}|2[AB])[ .]?(\d{2,3})[ .]?(\d{3})[ .]?(\d{3})[ .]?(\d{2})(?!\d)", re.IGNORECASE)
SECRET = re.compile(
    r"(?i)\b(mot de passe|mdp|mot-de-passe|password|pass|code(?: secret| pin| de (?:confirmation|validation|sécurité|securite))?|pin|identifiant|cvv|cryptogramme)"
    r"(\s*(?:est|c'est|:|=|est le|:)?\s*)([^\s,;.!?]{3,})"
)
OTP = re.compile(r"(?i)\b(code|sms|otp)\b[^\d]{0,20}(?<!\d)(\d{4,8})(?!\d)")


def luhn_ok(digits: str) -> bool:
    total, parity = 0, len(digits) % 2
    for i, char in enumerate(digits):
        d = int(char)
        if i % 2 == parity:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def iban_ok(value: str) -> bool:
    compact = re.sub(r"\s", "", value).upper()
    if not 15 <= len(compact) <= 34:
        return False
    moved = compact[4:] + compact[:4]
    numeric = "".join(str(int(c, 36)) for c in moved)
    return int(numeric) % 97 == 1


def nir_ok(match: re.Match) -> bool:
    sex, year, month, dept, commune, order, key = match.groups()
    if not (1 <= int(month) <= 12 or 20 <= int(month) <= 42):
        return False
    number = f"{sex}{year}{month}{dept}{commune}{order}".upper()
    number = number.replace("2A", "19").replace("2B", "18")
    return 97 - int(number) % 97 == int(key)


def _card(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return MASK if 13 <= len(digits) <= 19 and luhn_ok(digits) else match.group(0)


def redact(text: str) -> str:
    if not text:
        return text
    text = NIR.sub(lambda m: MASK if nir_ok(m) else m.group(0), text)
    text = IBAN.sub(lambda m: MASK if iban_ok(m.group(0)) else m.group(0), text)
    text = CARD.sub(_card, text)
    text = SECRET.sub(lambda m: m.group(1) + m.group(2) + MASK, text)
    text = OTP.sub(lambda m: m.group(0).replace(m.group(2), MASK), text)
    return text


def contains_secret(text: str) -> bool:
    return redact(text) != text
