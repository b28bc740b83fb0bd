"""Reading what a caller said or keyed in: choices, yes/no, "conseiller", hidden numbers.

Twilio gives the recognizer's text (`SpeechResult`, with a `Confidence`) or
the keys pressed (`Digits`). A spoken choice is matched to the offered ones
by its number said in words ("deux", "le premier") or by the words of its
title ("mardi", "téléphone"); when nothing matches, the words go to the
assistant as they are (its forms read words too). Pure functions.
"""

from __future__ import annotations

import re

from bot.triage.answers import plain

NUMBER_WORDS = {
    "un": 1,
    "une": 1,
    "premier": 1,
    "premiere": 1,
    "deux": 2,
    "deuxieme": 2,
    "second": 2,
    "seconde": 2,
    "trois": 3,
    "troisieme": 3,
    "quatre": 4,
    "quatrieme": 4,
    "cinq": 5,
    "cinquieme": 5,
    "six": 6,
    "sixieme": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "zero": 0,
}
FILLERS = {
    "le",
    "la",
    "l",
    "numero",
    "choix",
    "touche",
    "je",
    "prends",
    "veux",
    "voudrais",
    "c",
    "est",
    "alors",
    "euh",
    "hum",
    "s'il",
    "vous",
    "plait",
    "merci",
    "oui",
    "bien",
    "sur",
    "ok",
    "d'accord",
}

# Twilio's From for a withheld number: "anonymous" and its keypad spellings, or nothing.
HIDDEN_FROM = {
    "",
    "anonymous",
    "restricted",
    "unknown",
    "unavailable",
    "private",
    "blocked",
    "+266696687",
    "+7378742833",
    "+86282452253",
    "+8656696",
    "+2562533",
}

HUMAN_WORDS = (
    "conseiller",
    "conseillere",
    "quelqu'un",
    "quelquun",
    "une personne",
    "un humain",
    "un agent",
    "une vraie personne",
    "standard",
    "operateur",
    "operatrice",
)
YES = {
    "oui",
    "ouais",
    "ouai",
    "yes",
    "ok",
    "d'accord",
    "daccord",
    "confirme",
    "je confirme",
    "c'est ca",
    "exactement",
    "tout a fait",
    "bien sur",
    "oui oui",
    "oui merci",
    "oui c'est ca",
}
NO = {"non", "nan", "no", "non merci", "pas du tout", "non non", "recommencer", "c'est pas ca", "ce n'est pas ca"}


def words_of(text: str) -> list[str]:
    return re.findall(r"[\w']+", plain(text))


def is_hidden(raw_from: str) -> bool:
    return (raw_from or "").strip().lower() in HIDDEN_FROM


def said_number(text: str) -> int | None:
    """'2', 'deux', 'le deuxième', 'numéro 3 s'il vous plaît' -> the number; None otherwise."""
    meaningful = [w for w in words_of(text) if w not in FILLERS]
    if len(meaningful) != 1:
        return None
    word = meaningful[0]
    if word.isdigit() and len(word) <= 2:
        return int(word)
    return NUMBER_WORDS.get(word)


def match_choice(text: str, titles: dict[str, str]) -> str | None:
    """The key of the choice the caller named, when exactly one fits."""
    number = said_number(text)
    if number is not None and str(number) in titles:
        return str(number)
    said = " " + " ".join(words_of(text)) + " "
    if said.strip() == "":
        return None
    found = []
    for key, title in titles.items():
        title_words = [w for w in words_of(title) if len(w) > 2 or w in ("non", "oui")]
        whole = " ".join(words_of(title))
        if whole and f" {whole} " in said:
            found.append((2, key))
        elif title_words and any(f" {w} " in said for w in title_words if len(w) > 3 and not w.isdigit()):
            found.append((1, key))
    best = [key for rank, key in found if rank == max((r for r, _ in found), default=0)]
    return best[0] if len(best) == 1 else None


def wants_human(text: str) -> bool:
    """'conseiller', 'je veux parler à quelqu'un': a person now, not an appointment."""
    value = plain(text)
    if len(value) > 80 or re.search(r"rendez|rdv|\bannul", value):
        return False
    return any(w in value for w in HUMAN_WORDS)


def is_yes(text: str) -> bool:
    value = " ".join(words_of(text))
    return value in YES or value.startswith("oui ")


def is_no(text: str) -> bool:
    value = " ".join(words_of(text))
    return value in NO or value.startswith("non ")


def looks_like_cancellation(text: str) -> bool:
    return bool(re.search(r"\bannul", plain(text)))


def phone_digits(text: str) -> str:
    """A number said or keyed: 'zéro six, douze…' is given by Twilio as digits; keep them."""
    return re.sub(r"[^\d+]", "", text or "")
