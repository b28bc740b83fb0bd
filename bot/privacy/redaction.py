"""Masking secrets people write in messages, before anything is stored or logged.

Five kinds of secret become `[masqué]`:

- `card`: payment card numbers (13 to 19 digits, checked with Luhn);
- `iban`: IBANs (checked with mod 97);
- `nir`: French social security numbers (NIR, 13 digits and their key);
- `password`: a password, PIN or card security code stated as such
  ("mon mot de passe est Soleil2024", "mdp: azerty123", "cvv 123"), also after
  what it is for ("mot de passe impots: Metz#1959", "mdp gmail Metz#1959");
- `otp`: a one-time code ("le code 482913", "code de vérification : 5521",
  "code : A7KX92").

The checks keep ordinary numbers (phone numbers, dates, amounts, postcodes)
and ordinary sentences ("j'ai oublié mon mot de passe gmail") as they are:
a false alarm would hide the question from the assistant. The corpus
`tests/privacy/redaction_corpus.yml` measures both sides
(`python -m bot privacy report`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MASK = "[masqué]"
KINDS = ("card", "iban", "nir", "password", "otp")

CARD = re.compile(r"(?<![\dA-Za-z])(?:\d[ \-.]?){12,18}\d(?!\d)")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b", re.IGNORECASE)
NIR = re.compile(
    r"(?<!\d)([12])[ .]?(\d{2})[ .]?(\d{2})[ .]?(\d{2}|2[AB])[ .]?(\d{3})[ .]?(\d{3})[ .]?(\d{2})(?!\d)",
    re.IGNORECASE,
)

# "mot de passe", "mdp", "code pin", "cvv"... then an explicit connector or a
# value that looks like a secret (see _looks_secret).
_PASSWORD_WORDS = (
    r"mots? de passe|mot-de-passe|mdp|password|pass(?:word)?|code (?:secret|pin|confidentiel|de (?:la )?carte)"
    r"|pin|cvv|cvc|cryptogramme(?: visuel)?"
)
_CONNECTOR = r"(?:(?:c'est|c est|cest|est|sera|était|etait)\b\s*(?:le\b|la\b|:)?|:|=|->)"
# What a password is for, between the word and the connector: "mot de passe impots: ...", "mdp gmail = ...".
_LABEL = r"[^\s:=,;!?]{2,20}"
# A run of non-spaces; punctuation at its end is the sentence's ("Soleil2024!"), inside it the secret's.
_VALUE = r"(?P<value>\S{3,}?)(?=[,;!?.]*(?:\s|$))"
PASSWORD = re.compile(
    rf"(?i)\b(?P<word>{_PASSWORD_WORDS})\b"
    rf"(?P<sep>(?:\s+{_LABEL}){{1,2}}?\s*{_CONNECTOR}\s*|\s*{_CONNECTOR}\s*|\s+)" + _VALUE
)
# The word after a label with no connector ("mdp gmail Metz#1959"): a secret only if it looks like one.
NEXT_WORD = re.compile(r"\s+" + _VALUE)
# "code : X", "code wifi = X": a code given after a colon (digits alone are left to OTP's checks).
CODE = re.compile(
    r"(?i)\bcode\b(?!\s+(?:postal|postale|client|route|article|promo)\b)"
    rf"(?:\s+{_LABEL}){{0,2}}?\s*[:=]\s*" + _VALUE
)
# A one-time code: "code" (of confirmation, received by SMS...) then 4 to 8 digits
# nearby, or six digits right after "SMS"; not a postcode, a client number, the highway code.
_NOT_OTP = r"(?!\bpostal\b|\bpostale\b|\bclient\b|\broute\b|\barticle\b|\bpromo\b)"
OTP = re.compile(
    rf"(?i)\b(?:code|otp)\b(?:{_NOT_OTP}[^\d\n]){{0,30}}?(?<!\d)(?P<value>\d{{4,8}}|\d{{3}} \d{{3}})(?!\d)"
    r"|\bsms\b[^\d\n]{0,20}?(?<!\d)(?P<sms>\d{6})(?!\d)"
)
_NOT_SECRET_WORDS = {
    "oublié",
    "oublie",
    "oubliée",
    "oubliee",
    "perdu",
    "perdue",
    "bloqué",
    "bloque",
    "bloquée",
    "faux",
    "fausse",
    "incorrect",
    "incorrecte",
    "invalide",
    "expiré",
    "expire",
    "trop",
    "pas",
    "plus",
    "toujours",
    "encore",
    "le",
    "la",
    "les",
    "un",
    "une",
    "mon",
    "ma",
    "mes",
    "de",
    "du",
    "des",
    "pour",
    "qui",
    "que",
    "quoi",
    "sur",
    "dans",
    "avec",
    "et",
    "ou",
    "a",
    "à",
    "ne",
    "n'est",
    "nest",
    "changé",
    "change",
    "changer",
    "modifier",
    "réinitialiser",
    "reinitialiser",
    "gmail",
    "orange",
    "ameli",
    "caf",
    "impots",
    "impôts",
    "facebook",
    "google",
    "apple",
    "hotmail",
    "outlook",
    "wifi",
    "wi-fi",
    "svp",
    "stp",
    "merci",
    "reçu",
    "recu",
    "marche",
    "fonctionne",
    "demande",
    "demandé",
    "provisoire",
    "temporaire",
    "bancaire",
    "oubliés",
    "correct",
    "juste",
    "bon",
    "mauvais",
    "sécurisé",
    "securise",
    "fort",
    "faible",
    "simple",
    "compliqué",
    "complique",
    "long",
    "court",
    "valide",
    "refusé",
    "refuse",
    "accepté",
    "chiffres",
    # questions and complaints written after "mot de passe gmail :"
    "comment",
    "pourquoi",
    "quand",
    "aide",
    "aidez",
    "besoin",
    "impossible",
    "erreur",
    "problème",
    "probleme",
    "jamais",
    "rien",
    "nouveau",
    "nouvelle",
    "celui",
    "lequel",
    "quel",
    "quelle",
}


@dataclass(frozen=True)
class Found:
    kind: str
    start: int
    end: int


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


def _card_ok(match: re.Match) -> bool:
    digits = re.sub(r"\D", "", match.group(0))
    return 13 <= len(digits) <= 19 and luhn_ok(digits)


def _looks_secret(value: str, explicit: bool) -> bool:
    """After "mot de passe est", almost any word is the secret; after a bare
    "mot de passe", only a word that looks like one (digits, symbols, mixed case)."""
    word = value.strip("\"'«»“”()[]").lower()
    if len(word) < 3 or word in _NOT_SECRET_WORDS or value == MASK or value.endswith((":", "=")):
        return False  # "impots:" is what the password is for, not the password
    if explicit:
        return True
    has_digit = any(c.isdigit() for c in value)
    has_alpha = any(c.isalpha() for c in value)
    has_symbol = any(not c.isalnum() and c not in "'-" for c in value)
    mixed_case = value != value.lower() and value != value.upper()
    return (has_digit and has_alpha) or has_symbol or (mixed_case and len(value) >= 6) or value.isdigit()


def _overlaps(found: list[Found], start: int, end: int) -> bool:
    return any(f.start < end and start < f.end for f in found)


def find_secrets(text: str) -> list[Found]:
    """Every secret in `text`, by kind and position, without overlaps."""
    if not text:
        return []
    found: list[Found] = []

    def add(kind: str, start: int, end: int) -> None:
        if not _overlaps(found, start, end):
            found.append(Found(kind, start, end))

    for m in NIR.finditer(text):
        if nir_ok(m):
            add("nir", m.start(), m.end())
    for m in IBAN.finditer(text):
        if iban_ok(m.group(0)):
            add("iban", m.start(), m.end())
    for m in CARD.finditer(text):
        if _card_ok(m):
            add("card", m.start(), m.end())
    for m in PASSWORD.finditer(text):
        explicit = bool(m.group("sep").strip())
        if _looks_secret(m.group("value"), explicit):
            add("password", m.start("value"), m.end("value"))
        elif not explicit:  # the value may be a label: "mdp gmail Metz#1959"
            after = NEXT_WORD.match(text, m.end("value"))
            if after and _looks_secret(after.group("value"), explicit=False):
                add("password", after.start("value"), after.end("value"))
    for m in CODE.finditer(text):
        value = m.group("value")
        if not value.isdigit() and _looks_secret(value, explicit=False):
            add("otp", m.start("value"), m.end("value"))
    for m in OTP.finditer(text):
        group = "value" if m.group("value") else "sms"
        add("otp", m.start(group), m.end(group))
    return sorted(found, key=lambda f: f.start)


def secret_kinds(text: str) -> set[str]:
    return {f.kind for f in find_secrets(text)}


def redact(text: str) -> str:
    """`text` with every secret replaced by `[masqué]`."""
    if not text or not isinstance(text, str):
        return text
    found = find_secrets(text)
    if not found:
        return text
    parts, last = [], 0
    for f in found:
        parts.append(text[last : f.start])
        parts.append(MASK)
        last = f.end
    parts.append(text[last:])
    return "".join(parts)


def redact_value(value):
    """`redact` applied to every string inside a JSON-like value (dicts, lists)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: redact_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_value(item) for item in value]
    return value


def contains_secret(text: str) -> bool:
    return bool(find_secrets(text or ""))


# Text kept to be read by people later (the review inbox, bot/review/capture.py) also loses
# what identifies its writer: e-mail addresses and phone numbers (which `redact` keeps, since
# the assistant needs them in a conversation), masked after the secrets.
EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)
PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)\d{2}[ .\-]?(?:\(0\)[ .\-]?)?[1-9]|0[1-9])(?:[ .\-]?\d{2}){4}(?!\d)")


def redact_identifiers(text: str) -> str:
    """`redact`, then every e-mail address and phone number replaced by `[masqué]`."""
    if not text or not isinstance(text, str):
        return text
    return PHONE.sub(MASK, EMAIL.sub(MASK, redact(text)))
