"""The checks an answer passes before it is saved, from the desk or the command line.

One function, `check_answer`, for both: a refused text gets reasons in plain
French, each saying what to change. What is refused:

- an empty text;
- a text the SMS channel would send as more than 2 segments, or that is not GSM-7
  even after the channel's folding (bot/sms/encoding.py), buttons counted as the
  numbered lines the SMS carries (bot/sms/choices.py);
- a URL or phone number missing from the references (data/references.yml, or
  added from the desk with its source);
- tutoiement: the assistant says "vous";
- a {placeholder} the assistant would not know how to fill.

The readability figures (words per sentence, long words) are shown, not enforced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.answers.references import Known
from bot.sms.choices import render
from bot.sms.encoding import count_segments, is_gsm, normalise

SMS_CHANNEL = "twilio_sms"
MAX_SEGMENTS = 2
MAX_SEPTETS = 2 * 153
# Sample values for {slots}, as long as real ones can be (bot/sms/bench.py uses the same idea).
SAMPLE_SLOTS = {"first_name": "Marie-Christine", "neighbourhood": "Borny"}
PLACEHOLDER = re.compile(r"\{(\w+)\}")

# Readability: a sentence of more than this many words, a word of at least this many letters.
LONG_SENTENCE_WORDS = 20
LONG_WORD_LETTERS = 13

# Tutoiement: "tu", "te", "ton", "ta", "tes", "toi", "t'" as words (also "-toi" after a verb).
# Not "ton" as a noun ("un ton calme"), nor letters of a URL or an abbreviation in capitals.
TU_WORDS = re.compile(
    r"(?<![\w@./-])(?:tu|te|ton|ta|tes|toi)(?![\w'’@])"
    r"|(?<![\w@./-])t['’](?=[aeiouyhéèêàâîôû])"
    r"|(?<=\w-)(?:toi|te)(?![\w-])",
    re.IGNORECASE,
)
NOUN_TON = re.compile(r"(?i)\b(?:un|le|du|de|même|ce|quel)\s+$")
URLISH = re.compile(r"\S+\.\S+")
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿœŒ]+(?:['’-][A-Za-zÀ-ÖØ-öø-ÿœŒ]+)*")


@dataclass
class Readability:
    sentences: int
    words: int
    words_per_sentence: float
    longest_sentence: int
    long_words: list[str]

    @property
    def easy(self) -> bool:
        return self.longest_sentence <= LONG_SENTENCE_WORDS and len(self.long_words) <= 2


@dataclass
class SmsPreview:
    text: str
    encoding: str
    segments: int
    length: int
    parts: list[str]


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    unknown_urls: list[str] = field(default_factory=list)
    unknown_phones: list[str] = field(default_factory=list)
    sms: SmsPreview | None = None
    readability: Readability | None = None
    spoken: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "problems": self.problems,
            "unknown_urls": self.unknown_urls,
            "unknown_phones": self.unknown_phones,
            "sms": None
            if self.sms is None
            else {
                "encoding": self.sms.encoding,
                "segments": self.sms.segments,
                "length": self.sms.length,
                "parts": self.sms.parts,
            },
            "readability": None
            if self.readability is None
            else {
                "sentences": self.readability.sentences,
                "words_per_sentence": self.readability.words_per_sentence,
                "longest_sentence": self.readability.longest_sentence,
                "long_words": self.readability.long_words,
            },
            "spoken": self.spoken,
        }


def tutoiement(text: str) -> list[str]:
    """The words of `text` that say "tu" to the reader."""
    found = []
    plain = URLISH.sub(lambda m: " " * len(m.group(0)), text)
    for match in TU_WORDS.finditer(plain):
        word = match.group(0)
        if word.isupper() and len(word) > 1:  # TA, TES: an abbreviation
            continue
        if word.lower() == "ton" and NOUN_TON.search(plain[: match.start()]):
            continue
        found.append(word)
    return found


def readability(text: str) -> Readability:
    sentences = [s for s in SENTENCE_END.split(text.strip()) if WORD.search(s)]
    counts = [len(WORD.findall(s)) for s in sentences] or [0]
    words = WORD.findall(text)
    long_words = sorted({w for w in words if len(re.sub(r"['’-]", "", w)) >= LONG_WORD_LETTERS})
    return Readability(
        len(sentences), len(words), round(sum(counts) / max(len(sentences), 1), 1), max(counts), long_words
    )


def fill_samples(text: str) -> str:
    return PLACEHOLDER.sub(lambda m: SAMPLE_SLOTS.get(m.group(1), "Marie"), text)


def sms_preview(text: str, buttons: list[dict] | None, fold_accents: bool = True) -> SmsPreview:
    """What the SMS channel sends for this text: folded, buttons as numbered lines, cut in segments."""
    body = normalise(render(fill_samples(text), buttons).text, fold_accents)
    segments = count_segments(body)
    size = 160 if segments.count == 1 else 153
    if segments.encoding != "GSM-7":
        size = 70 if segments.count == 1 else 67
    parts, current, used = [], "", 0
    for char in body:
        cost = (len(char.encode("gsm03.38")) if is_gsm(char) else 1) if segments.encoding == "GSM-7" else 1
        if used + cost > size:
            parts.append(current)
            current, used = "", 0
        current += char
        used += cost
    if current:
        parts.append(current)
    return SmsPreview(body, segments.encoding, segments.count, segments.length, parts)


SPOKEN = [
    (re.compile(r"\bRDV\b"), "R D V"),
    (re.compile(r"\bSMS\b"), "S M S"),
    (re.compile(r"\be-mail\b", re.IGNORECASE), "i-mèl"),
]


def spoken(text: str) -> str:
    """The text as a voice would read it: links spelt out, numbers in pairs, abbreviations in letters."""
    line = fill_samples(text)
    line = re.sub(r"https?://", "", line)
    line = re.sub(r"(?<=\w)\.(?=(?:gouv|fr|com|net|org|eu)\b)", " point ", line)
    line = re.sub(r"(?<=\w)/(?=\w)", " barre ", line)
    for pattern, replacement in SPOKEN:
        line = pattern.sub(replacement, line)
    line = re.sub(r"[\"«»]", "", line)
    return re.sub(r"\s+", " ", line).strip()


def sms_variations(variations: list[dict]) -> list[dict]:
    """The variations the SMS channel may send: its own when there are any, else the plain ones."""
    own = [v for v in variations if v.get("channel") == SMS_CHANNEL]
    return own or [v for v in variations if not v.get("channel")]


def check_text(
    text: str,
    known: Known,
    *,
    buttons: list[dict] | None = None,
    for_sms: bool = True,
    placeholders: set[str] | None = None,
    fold_accents: bool = True,
) -> Report:
    """Check one variation's text. `placeholders`: the {slots} it may use (None: any)."""
    report = Report()
    text = text or ""
    if not text.strip():
        report.problems.append("Le texte est vide : écrivez la réponse que l'assistant enverra.")
        return report
    report.readability = readability(text)
    report.spoken = spoken(text)
    report.sms = sms_preview(text, buttons, fold_accents)
    if for_sms:
        if report.sms.encoding != "GSM-7":
            odd = sorted({c for c in normalise(text, fold_accents) if not is_gsm(c)})
            report.problems.append(
                "Ces caractères ne passent pas en SMS : "
                + " ".join(f"« {c} »" for c in odd)
                + ". Remplacez-les par des lettres simples."
            )
        elif report.sms.segments > MAX_SEGMENTS:
            over = report.sms.length - MAX_SEPTETS
            report.problems.append(
                f"Ce texte ferait {report.sms.segments} SMS ({report.sms.length} caractères) : "
                f"{MAX_SEGMENTS} au plus ({MAX_SEPTETS} caractères). Raccourcissez-le de {over} caractères."
            )
    pieces = " ".join([text, *[str(b.get("title") or "") for b in buttons or []]])
    report.unknown_urls, report.unknown_phones = known.unknown(pieces)
    for url in report.unknown_urls:
        report.problems.append(
            f"Le lien « {url} » n'est pas dans la liste des références. "
            "Ajoutez-le à la liste avec sa source, ou retirez-le."
        )
    for phone in report.unknown_phones:
        report.problems.append(
            f"Le numéro « {phone} » n'est pas dans la liste des références. "
            "Ajoutez-le à la liste avec sa source, ou retirez-le."
        )
    tu = tutoiement(pieces)
    if tu:
        words = ", ".join(f"« {w} »" for w in dict.fromkeys(tu))
        report.problems.append(
            f"Le texte tutoie ({words}) : l'assistant dit « vous ». Écrivez « vous », « votre », « vos »."
        )
    if placeholders is not None:
        strange = sorted(set(PLACEHOLDER.findall(pieces)) - placeholders)
        if strange:
            allowed = ", ".join("{" + p + "}" for p in sorted(placeholders)) or "aucun"
            report.problems.append(
                "L'assistant ne sait pas remplir "
                + ", ".join("{" + p + "}" for p in strange)
                + f". Possibles ici : {allowed}."
            )
    return report


def placeholders_of(variations: list[dict]) -> set[str]:
    found = set()
    for variation in variations:
        found |= set(PLACEHOLDER.findall(str(variation.get("text") or "")))
    return found


def check_answer(
    variations: list[dict], known: Known, *, allowed_placeholders: set[str] | None = None, fold_accents: bool = True
) -> list[Report]:
    """One report per variation, in order; the answer may be saved when every report is ok."""
    if not variations:
        return [check_text("", known)]
    for_sms = {id(v) for v in sms_variations(variations)}
    return [
        check_text(
            str(v.get("text") or ""),
            known,
            buttons=v.get("buttons"),
            for_sms=id(v) in for_sms,
            placeholders=allowed_placeholders,
            fold_accents=fold_accents,
        )
        for v in variations
    ]
