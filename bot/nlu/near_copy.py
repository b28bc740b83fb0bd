"""Is a message a copy, or nearly, of a held-out one? (the one check, shared by the data tests and the export)

The held-out sets (tests/nlu/heldout.yml, tests/nlu/blind.yml) and the dev sets
(tests/nlu/dev_no_answer.yml, tests/nlu/dev_answerable.yml, tests/nlu/dev_scope.yml) judge the
model only while none of their messages is trained on: `tests/nlu/test_nlu_data.py` fails when data/nlu/ holds and `python -m bot nlu export-reviewed` refuses a reviewed message that would.
Pure functions, no model.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.nlu.evaluation import read_blind, read_nlu_file, strip_accents
from bot.settings import ROOT

HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"
BLIND = ROOT / "tests" / "nlu" / "blind.yml"
DEV_NO_ANSWER = ROOT / "tests" / "nlu" / "dev_no_answer.yml"
DEV_ANSWERABLE = ROOT / "tests" / "nlu" / "dev_answerable.yml"
DEV_SCOPE = ROOT / "tests" / "nlu" / "dev_scope.yml"
DEV_SETS = (DEV_NO_ANSWER, DEV_ANSWERABLE, DEV_SCOPE)


def squash(text: str) -> str:
    """Lower case, no accents, words of letters and digits only: how two messages are compared."""
    return re.sub(r"[^a-z0-9]+", " ", strip_accents(text).lower()).strip()


def near_copy(words: set[str], other: set[str]) -> bool:
    """Nearly the same words: a paraphrase that only moved or changed one word in six."""
    return len(words) >= 5 and len(words & other) / len(words | other) >= 0.8


def heldout_texts(heldout: Path = HELDOUT, blind: Path = BLIND, dev: tuple[Path, ...] = DEV_SETS) -> list[str]:
    """Every message of the two held-out sets and of the dev sets (those that exist)."""
    texts = [e.text for e in read_nlu_file(heldout)]
    for labelled in (blind, *dev):
        if Path(labelled).exists():
            texts += [m.text for m in read_blind(labelled)]
    return texts


class CopyIndex:
    """Texts indexed by their words, to find quickly whether a message copies one of them."""

    def __init__(self, texts: list[str]) -> None:
        self.exact: dict[str, str] = {}
        self.by_word: dict[str, list[tuple[set[str], str]]] = {}
        for text in texts:
            squashed = squash(text)
            self.exact.setdefault(squashed, text)
            words = set(squashed.split())
            for word in words:
                self.by_word.setdefault(word, []).append((words, text))

    def copied(self, text: str) -> str | None:
        """The indexed text that `text` copies exactly or nearly, or None."""
        squashed = squash(text)
        if squashed in self.exact:
            return self.exact[squashed]
        words = set(squashed.split())
        # A near copy shares most words: looking among the texts that hold one of the three rarest
        # words they both could hold finds it (a changed or misspelt word is not among those).
        known = sorted((w for w in words if w in self.by_word), key=lambda w: (len(self.by_word[w]), w))
        for word in known[:3]:
            for other, original in self.by_word[word]:
                if near_copy(words, other):
                    return original
        return None
