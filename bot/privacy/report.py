"""Precision and recall of the redaction on a corpus of labelled messages.

The corpus (tests/privacy/redaction_corpus.yml) lists real-looking messages,
each with the kinds of secret it holds (and, for some, the `secrets` themselves,
which must not be readable once masked). For each kind: a true positive is a
message holding that kind where it was found, a false positive one where it
was found but is not there, a false negative one where it was missed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.privacy.redaction import KINDS, redact, secret_kinds
from bot.settings import ROOT
from bot.yaml_files import load_yaml

DEFAULT_CORPUS = ROOT / "tests" / "privacy" / "redaction_corpus.yml"


@dataclass
class Score:
    kind: str
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def load_corpus(path: Path = DEFAULT_CORPUS) -> list[dict]:
    entries = load_yaml(Path(path).read_text(encoding="utf-8")) or []
    for entry in entries:
        unknown = set(entry["kinds"]) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown kinds {sorted(unknown)} in {entry['text']!r}")
    return entries


def found_kinds(entry: dict) -> set[str]:
    """The kinds found in the message; a listed `secrets` value still readable after masking
    means the secret was missed (a label masked instead of the password, say)."""
    found = secret_kinds(entry["text"])
    masked = redact(entry["text"])
    if any(secret in masked for secret in entry.get("secrets", [])):
        found -= set(entry["kinds"])
    return found


def mistakes(entries: list[dict]) -> list[tuple[str, set[str], set[str]]]:
    """(text, expected kinds, found kinds) for every message classified wrongly."""
    wrong = []
    for entry in entries:
        expected, found = set(entry["kinds"]), found_kinds(entry)
        if expected != found:
            wrong.append((entry["text"], expected, found))
    return wrong


def scores(entries: list[dict]) -> dict[str, Score]:
    result = {kind: Score(kind) for kind in KINDS}
    for entry in entries:
        expected, found = set(entry["kinds"]), found_kinds(entry)
        for kind in KINDS:
            if kind in expected and kind in found:
                result[kind].tp += 1
            elif kind in found:
                result[kind].fp += 1
            elif kind in expected:
                result[kind].fn += 1
    return result


def format_report(entries: list[dict]) -> str:
    lines = [
        f"{len(entries)} messages, {sum(1 for e in entries if not e['kinds'])} without any secret",
        f"{'kind':<10}{'precision':>10}{'recall':>8}{'tp':>5}{'fp':>5}{'fn':>5}",
    ]
    for score in scores(entries).values():
        lines.append(
            f"{score.kind:<10}{score.precision:>10.2f}{score.recall:>8.2f}{score.tp:>5}{score.fp:>5}{score.fn:>5}"
        )
    for text, expected, found in mistakes(entries):
        lines.append(f"MISTAKE expected {sorted(expected)} found {sorted(found)}: {text}")
    return "\n".join(lines)
