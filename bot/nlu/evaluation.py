"""Measuring the NLU on messages it never saw: the held-out set and its noisy copy.

Pure functions (no model here): reading labelled messages, making a noisy copy
the way residents really type (no accents, dropped/swapped/doubled letters),
per-intent precision/recall/F1, confusion pairs, and counts of the training
data. `python -m bot eval` (bot/cli/eval.py) runs the model and prints them.
"""
from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.classification import base_intent, request_of, thematique_of

# "[iphone](appareil)" -> "iphone": entity annotations are not part of the text.
ENTITY = re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}")


@dataclass(frozen=True)
class Example:
    text: str
    intent: str  # full name as written, e.g. faq_email/piece_jointe

    @property
    def base(self) -> str:
        return base_intent(self.intent)


def strip_entities(text: str) -> str:
    return ENTITY.sub(lambda m: m.group(1) or m.group(2), text)


def read_nlu_file(path: Path, keep_entities: bool = False) -> list[Example]:
    """The examples of one Rasa NLU YAML file (intents only)."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    examples = []
    for block in data.get("nlu") or []:
        intent = block.get("intent")
        if not intent:
            continue
        for line in str(block.get("examples") or "").splitlines():
            line = line.strip()
            if line.startswith("- "):
                text = line[2:].strip()
                examples.append(Example(text if keep_entities else strip_entities(text), intent))
    return examples


def read_nlu_folder(folder: Path) -> list[Example]:
    examples = []
    for path in sorted(Path(folder).glob("**/*.yml")):
        examples.extend(read_nlu_file(path))
    return examples


def training_counts(examples: list[Example]) -> dict[str, dict]:
    """Base intent -> {examples, sub_intents: {name: count}}: what the model learns from."""
    counts: dict[str, dict] = {}
    for example in examples:
        entry = counts.setdefault(example.base, {"examples": 0, "sub_intents": Counter()})
        entry["examples"] += 1
        if "/" in example.intent:
            entry["sub_intents"][example.intent.split("/", 1)[1]] += 1
    return counts


# --- The noisy copy -------------------------------------------------------------

def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def _typo(word: str, rng: random.Random) -> str:
    """One typo inside a word (never its first letter): a drop, a swap or a doubling."""
    i = rng.randrange(1, len(word) - 1) if len(word) > 2 else 1
    kind = rng.choice(("drop", "swap", "double"))
    if kind == "drop":
        return word[:i] + word[i + 1:]
    if kind == "swap" and i + 1 < len(word):
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word[:i] + word[i] + word[i:]


def noisy(text: str, seed: int = 13, rate: float = 0.2) -> str:
    """Accents stripped, then seeded typos in about `rate` of the words of 4+ letters.

    Deterministic for a given text and seed (string seeds hash with SHA-512),
    and at least one typo whenever the message has a long enough word.
    """
    text = strip_accents(text)
    rng = random.Random(f"{seed}:{text}")
    parts = re.split(r"(\w+)", text)
    candidates = [i for i, part in enumerate(parts) if len(part) >= 4 and part.isalpha()]
    if not candidates:
        return text
    chosen = {i for i in candidates if rng.random() < rate} or {rng.choice(candidates)}
    return "".join(_typo(part, rng) if i in chosen else part for i, part in enumerate(parts))


# --- Scores ------------------------------------------------------------------------

@dataclass
class Scores:
    """Per-intent precision/recall/F1 and the request/thematique accuracies of one run."""

    gold: list[str] = field(default_factory=list)  # expected base intents
    predicted: list[str] = field(default_factory=list)  # predicted base intents
    # (expected answer, given answer) of the messages labelled with a sub-intent.
    answers: list[tuple[str, str]] = field(default_factory=list)
    predicted_requests: list[str] = field(default_factory=list)
    predicted_thematiques: list[str | None] = field(default_factory=list)
    confidences: list[float] = field(default_factory=list)
    fallbacks: int = 0  # messages below the fallback threshold

    def add(self, gold: str, predicted: str, request: str, thematique: str | None, fallback: bool,
            confidence: float = 1.0) -> None:
        """`gold` and `predicted` are intents, or sub-intents (`faq_email/piece_jointe`): the answer."""
        self.confidences.append(confidence)
        self.gold.append(base_intent(gold))
        self.predicted.append(base_intent(predicted))
        if "/" in gold:
            self.answers.append((gold, predicted))
        self.predicted_requests.append(request)
        self.predicted_thematiques.append(thematique)
        self.fallbacks += int(fallback)

    @property
    def total(self) -> int:
        return len(self.gold)

    def intent_accuracy(self) -> float:
        return _ratio(sum(g == p for g, p in zip(self.gold, self.predicted)), self.total)

    def answer_accuracy(self) -> tuple[float, int]:
        """Share of the messages labelled with an answer that got that answer (right topic too)."""
        return _ratio(sum(g == p for g, p in self.answers), len(self.answers)), len(self.answers)

    def request_accuracy(self) -> float:
        hits = sum(request_of(g) == r for g, r in zip(self.gold, self.predicted_requests))
        return _ratio(hits, self.total)

    def thematique_accuracy(self) -> tuple[float, int]:
        """Accuracy over the messages that have a topic (help questions and urgences)."""
        pairs = [(thematique_of(g), t) for g, t in zip(self.gold, self.predicted_thematiques)
                 if thematique_of(g) is not None]
        return _ratio(sum(e == t for e, t in pairs), len(pairs)), len(pairs)

    def per_intent(self) -> dict[str, tuple[float, float, float, int]]:
        """intent -> (precision, recall, F1, support), for every gold or predicted intent."""
        results = {}
        for intent in sorted(set(self.gold) | set(self.predicted)):
            tp = sum(g == intent and p == intent for g, p in zip(self.gold, self.predicted))
            predicted = sum(p == intent for p in self.predicted)
            support = sum(g == intent for g in self.gold)
            precision, recall = _ratio(tp, predicted), _ratio(tp, support)
            f1 = _ratio(2 * precision * recall, precision + recall)
            results[intent] = (precision, recall, f1, support)
        return results

    def macro_f1(self) -> float:
        rows = [row for row in self.per_intent().values() if row[3]]
        return _ratio(sum(row[2] for row in rows), len(rows))

    def threshold_sweep(self, thresholds=(0.3, 0.4, 0.45, 0.5, 0.6)) -> list[tuple[float, float, float]]:
        """(threshold, share of messages below it, intent accuracy of the ones above it)."""
        rows = []
        for threshold in thresholds:
            above = [(g, p) for g, p, c in zip(self.gold, self.predicted, self.confidences) if c >= threshold]
            rows.append((threshold, 1 - _ratio(len(above), self.total),
                         _ratio(sum(g == p for g, p in above), len(above))))
        return rows

    def confusions(self, top: int = 15) -> list[tuple[str, str, int]]:
        """The most frequent (expected, predicted) mistakes."""
        pairs = Counter((g, p) for g, p in zip(self.gold, self.predicted) if g != p)
        return [(g, p, n) for (g, p), n in pairs.most_common(top)]


def answer_of(parse: dict) -> str | None:
    """The sub-intent (`faq_email/piece_jointe`) whose answer the model chose, if any."""
    intent = (parse.get("intent") or {}).get("name")
    selected = ((parse.get("response_selector") or {}).get(intent) or {}).get("response") or {}
    return selected.get("intent_response_key")


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


# --- Typo augmentation of the training data -------------------------------------------

AUGMENT_SEED = 7  # never the evaluation's seed: the held-out noisy copy stays unseen
GENERATED_HEADER = (
    "# GENERATED by `python -m bot augment` from the other files of data/nlu: do not edit.\n"
    "# Typo copies (accents stripped, seeded drops/swaps/doublings) of every example,\n"
    "# so that the model learns how residents really type. `make train` rewrites it.\n"
)


def typo_copies(examples: list[Example], share: int = 1, seed: int = AUGMENT_SEED) -> list[Example]:
    """A noisy copy of one example in `share` (chosen by a stable hash; 1: every one).

    Copies carry no entity annotation: entities come from lookup tables
    (data/nlu/entities.yml), not from a model trained on the annotations.
    """
    import hashlib

    copies, seen = [], {strip_entities(e.text) for e in examples}
    for example in examples:
        digest = hashlib.sha1(f"{seed}:{example.intent}:{example.text}".encode()).digest()
        if digest[0] % share:
            continue
        text = noisy(strip_entities(example.text), seed=seed, rate=0.15)
        if text not in seen and text.strip():
            seen.add(text)
            copies.append(Example(text, example.intent))
    return copies


def render_nlu(examples: list[Example]) -> str:
    """Rasa NLU YAML for the examples, grouped by (full) intent."""
    by_intent: dict[str, list[str]] = {}
    for example in examples:
        by_intent.setdefault(example.intent, []).append(example.text)
    lines = ['version: "3.1"', "", "nlu:"]
    for intent, texts in by_intent.items():
        lines += [f"  - intent: {intent}", "    examples: |"]
        lines += [f"      - {text}" for text in texts]
    return GENERATED_HEADER + "\n".join(lines) + "\n"
