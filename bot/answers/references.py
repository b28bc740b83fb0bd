"""The URLs and phone numbers residents are given, and the list they must come from.

Every URL and phone number in an answer is an official resource listed in
`data/references.yml` with its source (tests/answers/test_references.py holds the
repository to it), or one a coordinateur added from the desk with its source
(`answer_references`, appended to the file by `python -m bot answers export`).
`extract` finds them in a text, the same way for the repository's test and for
the desk's check of an edit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.settings import ROOT
from bot.yaml_files import load_yaml

REFERENCES_FILE = ROOT / "data" / "references.yml"

TLDS = r"(?:gouv\.fr|fr|com|net|org|eu|info|io|ai|app|be|ch|de|co|tv|me)"
URL = re.compile(
    rf"(?<![\w@.-])(?:https?://)?(?:www\.)?((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+{TLDS})"
    rf"((?:/[\w\-./%?=&#~+]*[\w/])?)(?![\w-])",
    re.IGNORECASE,
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONES = [
    re.compile(r"(?<![\d+])\+33\s?\(?0?\)?\s?[1-9](?:[\s.]?\d{2}){4}(?!\d)"),  # +33 3 87 55 50 00
    re.compile(r"(?<![\d+])0[1-9](?:[\s.]?\d{2}){4}(?!\d)"),  # 03 87 55 50 00
    re.compile(r"(?<![\d+])0\s?[1-9]\d{2}(?:[\s.]?\d{3}){2}(?!\d)"),  # 0 892 705 705
    re.compile(r"(?<![\d,.:h])3\d{3,4}(?![\d,.:]?\d|\s?(?:€|euros?|h\b|mo\b|Mo\b|ko\b|Go\b|%))"),  # 3646, 33700
    re.compile(r"(?i)(?:appel\w*|compos\w*|num[ée]ro)\s+(?:le\s+|au\s+)?(1\d{1,2}|11\d)(?!\d)"),  # le 17, 112
]

# Format samples shown to residents ("Écrivez-le comme 06 12 34 56 78"): not resources.
FORMAT_SAMPLES = {"0612345678"}


def digits(value: str) -> str:
    value = re.sub(r"\D", "", value)
    return "0" + value[2:] if value.startswith("33") and len(value) == 11 else value


def url_key(value: str) -> str:
    value = re.sub(r"^(?:https?://)?(?:www\.)?", "", value.strip().lower())
    return value.rstrip("/")


def extract(text: str) -> tuple[set[str], set[str]]:
    """(urls, phone numbers) found in a text, URLs without scheme, phones as digits."""
    emails = set(EMAIL.findall(text))
    without_emails = EMAIL.sub(" ", text)
    urls = {url_key(m.group(1) + m.group(2)) for m in URL.finditer(without_emails)}
    urls |= {e.lower() for e in emails}
    phones = set()
    for pattern in PHONES:
        for match in pattern.finditer(without_emails):
            phones.add(digits(match.group(match.lastindex or 0)))
    return urls, phones


def kind_of(value: str) -> str | None:
    """'url' or 'phone' for a value typed in the desk, None when it is neither."""
    urls, phones = extract(value)
    if phones and not urls:
        return "phone"
    if urls:
        return "url"
    return None


def normalised(kind: str, value: str) -> str:
    return digits(value) if kind == "phone" else url_key(value)


@dataclass(frozen=True)
class Known:
    urls: frozenset
    phones: frozenset

    def unknown(self, text: str) -> tuple[list[str], list[str]]:
        urls, phones = extract(text)
        return sorted(urls - self.urls), sorted(phones - self.phones - FORMAT_SAMPLES)


def file_entries(path: Path | None = None) -> list[dict]:
    path = path or REFERENCES_FILE
    if not path.exists():
        return []
    return list((load_yaml(path.read_text(encoding="utf-8")) or {}).get("references") or [])


def known_references(session: Session | None = None, path: Path | None = None) -> Known:
    """What the file lists, plus what the desk added (when a session is given)."""
    entries = [(str(e.get("kind")), str(e.get("value"))) for e in file_entries(path)]
    if session is not None:
        from bot.answers.models import AnswerReference

        entries += [(r.kind, r.value) for r in session.execute(select(AnswerReference)).scalars()]
    urls = frozenset(url_key(v) for k, v in entries if k == "url")
    phones = frozenset(digits(v) for k, v in entries if k == "phone")
    return Known(urls, phones)
