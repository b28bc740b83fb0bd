"""The assistant's written answers, made to be heard on the phone line.

Every channel gets the same answers; a written answer read aloud as it is
would spell URLs letter by letter, tell the caller to "écrire RDV", read a
phone number as one huge number and "14 h" as "quatorze ache". `speak`
turns one collected message (text, buttons, the response's name) into what
Twilio's <Say> reads:

- a response named in bot/voice/spoken.yml is replaced by its spoken text
  (for the few that read badly even after conversion);
- URLs are not read: "le lien que je vous envoie par SMS" when the caller
  can receive SMS (the channel sends the written answer, links included),
  otherwise the bare site name said word by word ("service-public point fr");
- phone numbers are said in pairs of digits, as the French say them;
- "écrivez RDV" becomes "dites rendez-vous", "répondez ANNULER" "dites
  annuler", the keywords lose their capitals (a speech engine spells them);
- buttons and numbered choices are spoken with their number ("Tapez 1 ou
  dites : mardi 2 décembre à 9 heures, CCAS de Metz."), and `choices` says
  what each key stands for (bot/voice/listening.py maps the answer back).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bot.answers.references import EMAIL, URL  # one definition of what a link is
from bot.yaml_files import load_yaml

SPOKEN_FILE = Path(__file__).with_name("spoken.yml")
MAX_SPOKEN_CHARS = 600  # about 40 seconds of speech: beyond it, write an override
LINK_BY_SMS = "le lien que je vous envoie par SMS"

PHONE = re.compile(
    r"(?<![\d+])(?:\+33\s?[1-9](?:[\s.]?\d{2}){4}|0[1-9](?:[\s.]?\d{2}){4}|0\s?[1-9]\d{2}(?:[\s.]?\d{3}){2})(?!\d)"
)
NUMBERED_LINE = re.compile(r"(?m)^\s*(\d{1,2})\s*[.)]\s+(.+?)\s*$")

UNITS = (
    "zéro",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
)
TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante", 8: "quatre-vingt"}


def french_number(n: int) -> str:
    """0..999 in French words: 87 -> 'quatre-vingt-sept', 705 -> 'sept cent cinq'."""
    if n < 17:
        return UNITS[n]
    if n < 20:
        return "dix-" + UNITS[n - 10]
    if n < 100:
        tens, unit = divmod(n, 10)
        if tens in (7, 9):
            base = TENS[tens - 1]
            rest = n - (tens - 1) * 10
            joiner = " et " if rest == 11 and tens == 7 else "-"
            return base + joiner + french_number(rest)
        word = TENS[tens]
        if unit == 0:
            return word + ("s" if tens == 8 else "")
        return word + (" et un" if unit == 1 and tens != 8 else "-" + UNITS[unit])
    hundreds, rest = divmod(n, 100)
    head = "cent" if hundreds == 1 else UNITS[hundreds] + " cent"
    return head + (" " + french_number(rest) if rest else ("s" if hundreds > 1 else ""))


def spoken_digits(group: str) -> str:
    """A group of digits as written: '03' -> 'zéro trois', '87' -> 'quatre-vingt-sept'."""
    words = []
    while group.startswith("0") and len(group) > 1:
        words.append("zéro")
        group = group[1:]
    words.append(french_number(int(group)) if len(group) <= 3 else " ".join(UNITS[int(d)] for d in group))
    return " ".join(words)


def spoken_phone(number: str) -> str:
    """'03 87 55 50 00' -> 'zéro trois, quatre-vingt-sept, cinquante-cinq, cinquante, zéro zéro'."""
    number = number.strip()
    if number.startswith("+33"):
        number = "0" + number[3:].strip()
    groups = re.findall(r"\d+", number)
    if len(groups) == 1 and len(groups[0]) == 10:
        groups = [groups[0][i : i + 2] for i in range(0, 10, 2)]
    return ", ".join(spoken_digits(g) for g in groups)


def spoken_site(domain: str) -> str:
    """'www.service-public.fr' -> 'service-public point fr' (never 'w w w', never '.fr')."""
    domain = re.sub(r"^www\.", "", domain.lower())
    return " point ".join(domain.split("."))


KEYWORDS = {
    "RDV": "rendez-vous",
    "ANNULER": "annuler",
    "PASSER": "passer",
    "AUTRE": "autre",
    "RAPPEL": "rappel",
    "OUI": "oui",
    "NON": "non",
    "AIDE": "aide",
    "STOP": "stop",
    "START": "start",
    "SUPPRIMER MES DONNEES": "supprimer mes données",
    "SUPPRIMER MES DONNÉES": "supprimer mes données",
}

# (pattern, replacement), applied in order: instructions to write to the assistant become
# instructions to say (or key in); "écrivez ou ajoutez une photo" (a Facebook post) stays.
KEYWORD_WORDS = r"(RDV|ANNULER|PASSER|OUI|NON|AUTRE|RAPPEL|AIDE|STOP|SUPPRIMER MES DONN[EÉ]ES)\b"
INSTRUCTIONS = [
    (r"Écrivez-le comme 06 12 34 56 78", "Tapez-le sur le clavier, puis la touche dièse"),
    (r", AUTRE ou RAPPEL\b", ", ou dites autre, ou rappel"),
    (r"\bÉcrivez(?:-moi)? " + KEYWORD_WORDS, r"Dites \1"),
    (r"\bécrivez(?:-moi)? " + KEYWORD_WORDS, r"dites \1"),
    (r"\bRépondez(?:-moi)? " + KEYWORD_WORDS, r"Dites \1"),
    (r"\brépondez(?:-moi)? " + KEYWORD_WORDS, r"dites \1"),
    (r"\bTapez " + KEYWORD_WORDS, r"Dites \1"),
    (r"\btapez " + KEYWORD_WORDS, r"dites \1"),
    (r"\b(?:écrire|répondre|taper) " + KEYWORD_WORDS, r"dire \1"),
    (r"\bRépondez (\d(?:, \d)*(?: ou \d)?)", r"Tapez \1"),
    (r"\brépondez (\d(?:, \d)*(?: ou \d)?)", r"tapez \1"),
    (r"\bRépondez (?:avec|par) le numéro(?: de votre choix)?", "Tapez le numéro de votre choix"),
    (r"\bÉcrivez-moi\b", "Rappelez"),
    (r"\bécrivez-moi\b", "rappelez"),
    (r"\bnous écrire\b", "nous rappeler"),
    (r"\bÉcrivez (votre|vos|seulement|un jour|le |la )", r"Dites \1"),
    (r"\bécrivez (votre|vos|seulement|un jour|le |la )", r"dites \1"),
    (r"\bécrire un jour\b", "dire un jour"),
]

SYMBOLS = [
    (r"(\d{1,2}) ?h ?(\d{2})\b", r"\1 heures \2"),
    (r"\b1 heures\b", "1 heure"),
    (r"(\d{1,2}) ?h\b", r"\1 heures"),
    (r"\b1 heures\b", "1 heure"),
    (r"(\d+) ?h ?/ ?24", r"\1 heures sur 24"),
    (r"(\d) ?j ?/ ?7", r"\1 jours sur 7"),
    (r"\bn°", "numéro "),
    (r"(\d) ?€", r"\1 euros"),
    (r"€", "euros"),
    (r"(\d) ?%", r"\1 pour cent"),
    (r"\s*&\s*", " et "),
    (r"[«»“”\"]", ""),
    (r"…", "."),
    (r"\s*→\s*", ", "),
    (r"\s*\(\s*", ", "),
    (r"\s*\)\s*", ", "),
    (r"\s*;\s*", ". "),
    (r"(?<=\d)/(?=\d)", "-"),
    (r"(?<=[^\W\d])\s*/\s*(?=[^\W\d])", " ou "),
    (r"[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F]", ""),
]


@dataclass
class Spoken:
    text: str
    choices: dict = field(default_factory=dict)  # key -> payload
    titles: dict = field(default_factory=dict)  # key -> what the caller may say
    has_link: bool = False  # the written text carries a URL or a phone number to send by SMS
    written: str = ""


@lru_cache(maxsize=1)
def overrides() -> dict[str, str]:
    data = load_yaml(SPOKEN_FILE.read_text(encoding="utf-8")) or {}
    return {str(k): str(v).strip() for k, v in (data.get("responses") or {}).items()}


def _keywords(text: str) -> str:
    for word in sorted(KEYWORDS, key=len, reverse=True):
        text = re.sub(rf"(?<![\w-]){re.escape(word)}(?![\w-])", KEYWORDS[word], text)
    return text


def convert(text: str, can_sms: bool) -> str:
    """The spoken form of one written text (no buttons)."""
    emails = EMAIL.findall(text)
    for email in emails:
        text = text.replace(
            email,
            LINK_BY_SMS.replace("le lien", "l'adresse")
            if can_sms
            else email.replace("@", " arobase ").replace(".", " point "),
        )
    text = PHONE.sub(lambda m: spoken_phone(m.group(0)), text)
    text = URL.sub(lambda m: LINK_BY_SMS if can_sms else spoken_site(m.group(1)), text)
    for pattern, replacement in INSTRUCTIONS:
        text = re.sub(pattern, replacement, text)
    text = _keywords(text)
    for pattern, replacement in SYMBOLS:
        text = re.sub(pattern, replacement, text)
    text = re.sub(r"\s*\n+\s*", ". ", text)
    text = re.sub(r"\s+([.,])", r"\1", text)
    text = re.sub(r"([.!?:])[.,]+", r"\1", text)
    text = re.sub(r",\s*,", ",", text)
    text = re.sub(r",\s*([.!?])", r"\1", text)
    text = re.sub(r"\s{2,}", " ", text).strip(" ,")
    return text


def _choice_line(key: str, title: str) -> str:
    return f"Tapez {key} ou dites : {title.rstrip('.')}."


def speak(message: dict, can_sms: bool) -> Spoken:
    """What <Say> reads for one message the assistant sent, and the choices it offers."""
    name = message.get("utter_action") or ""
    written = message.get("text") or ""
    buttons = message.get("buttons") or []
    has_link = bool(URL.search(written) or PHONE.search(written) or EMAIL.search(written))
    text = overrides().get(name, written)
    choices, titles, lines = {}, {}, []
    numbered = NUMBERED_LINE.findall(text) if buttons else []
    if numbered:
        # The slot offer numbers its own lines; the instructions after them are spoken as keys.
        intro = text.split("\n", 1)[0] if not NUMBERED_LINE.match(text.split("\n", 1)[0]) else ""
        used = set()
        for number, line in numbered:
            for button in buttons:
                title = (button.get("title") or "").strip()
                if title and title in line:
                    choices[number], titles[number] = button.get("payload") or title, title
                    used.add(id(button))
                    break
            lines.append(_choice_line(number, convert(line, can_sms)))
        next_key = max((int(n) for n, _ in numbered), default=0) + 1
        for button in buttons:
            if id(button) in used:
                continue
            key = str(next_key)
            next_key += 1
            title = button.get("title") or button.get("payload") or ""
            choices[key], titles[key] = button.get("payload") or title, title
            lines.append(_choice_line(key, convert(title, can_sms)))
        spoken = " ".join([convert(intro, can_sms)] + lines).strip()
    else:
        spoken = convert(text, can_sms)
        for i, button in enumerate(buttons, start=1):
            title = button.get("title") or button.get("payload") or ""
            choices[str(i)], titles[str(i)] = button.get("payload") or title, title
            lines.append(_choice_line(str(i), convert(title, can_sms)))
        if lines:
            spoken = " ".join([spoken] + lines)
    return Spoken(spoken, choices, titles, has_link and can_sms, written)


WRITE_TO_US = re.compile(
    r"(?i)\b(?:écrivez|écrire|répondez|répondre|tapez|taper)(?:-moi)?\s+(?:RDV|ANNULER|PASSER|OUI|NON|STOP|AIDE|AUTRE|RAPPEL|SUPPRIMER)\b"
    r"|\bécrivez-moi\b|\bnous écrire\b|\bRDV\b"
)


def is_speakable(text: str, limit: int = MAX_SPOKEN_CHARS) -> bool:
    """No URL, no instruction to write to the assistant, not too long: what the bench counts."""
    lowered = text.lower()
    return not (
        URL.search(text)
        or EMAIL.search(text)
        or "http" in lowered
        or "www" in lowered
        or ".fr" in lowered
        or WRITE_TO_US.search(text)
        or len(text) > limit
    )
