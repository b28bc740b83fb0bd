"""Measuring the NLU on messages it never saw: the held-out set and its noisy copy.

Pure functions (no model here): reading labelled messages, making a noisy copy
the way residents really type (no accents, dropped/swapped/doubled letters),
per-intent precision/recall/F1, confusion pairs, and counts of the training
data. `python -m bot eval` (bot/cli/eval.py) runs the model and prints them.
"""

from __future__ import annotations

import random
import re
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bot.classification import base_intent, request_of, thematique_of
from bot.yaml_files import load_yaml

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
    data = load_yaml(Path(path).read_text(encoding="utf-8")) or {}
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
        return word[:i] + word[i + 1 :]
    if kind == "swap" and i + 1 < len(word):
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
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

    def add(
        self, gold: str, predicted: str, request: str, thematique: str | None, fallback: bool, confidence: float = 1.0
    ) -> None:
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
        pairs = [
            (thematique_of(g), t) for g, t in zip(self.gold, self.predicted_thematiques) if thematique_of(g) is not None
        ]
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
            rows.append(
                (threshold, 1 - _ratio(len(above), self.total), _ratio(sum(g == p for g, p in above), len(above)))
            )
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


# --- Labelled messages with every answer that fits (the blind set's format) ---------------

HELP_REQUESTS = ("question", "urgence")


@dataclass(frozen=True)
class Labelled:
    """One held-out message: every answer key that answers it (none: no answer in the catalogue),
    its request, its intent (non-question requests), its thematique and its style tags."""

    text: str
    answers: tuple[str, ...]
    request: str
    thematique: str | None
    intent: str | None = None
    styles: tuple[str, ...] = ()

    @property
    def is_help(self) -> bool:
        return self.request in HELP_REQUESTS

    @property
    def answerable(self) -> bool:
        return bool(self.answers)

    @property
    def gold_intent(self) -> str:
        """The base intent it should get: the first answer's, its intent, or faq_<thematique>."""
        if self.answers:
            return base_intent(self.answers[0])
        if self.intent:
            return self.intent
        if self.request == "urgence":
            return "urgence"
        return f"faq_{self.thematique}" if self.thematique else "out_of_scope"


def read_blind(path: Path) -> list[Labelled]:
    """The blind set: `messages:` list of {text, answers, request, intent?, thematique, styles}."""
    data = load_yaml(Path(path).read_text(encoding="utf-8")) or {}
    return [
        Labelled(
            text=str(m["text"]),
            answers=tuple(m.get("answers") or ()),
            request=m["request"],
            thematique=m.get("thematique"),
            intent=m.get("intent"),
            styles=tuple(m.get("styles") or ()),
        )
        for m in data.get("messages") or []
    ]


def labelled_from_examples(examples: list[Example]) -> list[Labelled]:
    """The old held-out set (Rasa NLU YAML, one label each) in the same shape."""
    return [
        Labelled(
            text=e.text,
            answers=(e.intent,) if "/" in e.intent else (),
            request=request_of(e.intent),
            thematique=thematique_of(e.intent),
            intent=None if e.base.startswith("faq_") else e.base,
        )
        for e in examples
    ]


def read_labelled(path: Path) -> list[Labelled]:
    """Either format, told apart by its top-level key."""
    data = load_yaml(Path(path).read_text(encoding="utf-8")) or {}
    return read_blind(path) if "messages" in data else labelled_from_examples(read_nlu_file(path))


@dataclass(frozen=True)
class Outcome:
    """What the model did with one message: the contract's fields and the decision."""

    message: Labelled
    text: str  # as classified (the noisy copy differs)
    intent: str
    request: str
    thematique: str | None
    decision: str  # answer, clarify, decline
    answer: str | None  # given only when decision == answer
    candidates: tuple[str, ...]
    confidence: float  # calibrated probability of the best answer candidate (0 when none)

    @property
    def right_answer(self) -> bool:
        return self.decision == "answer" and self.answer in self.message.answers

    @property
    def reached(self) -> bool:
        """Right at once, or among the choices of one clarifying question."""
        if self.right_answer:
            return True
        return self.decision == "clarify" and any(c in self.message.answers for c in self.candidates)


def outcome_of(message: Labelled, text: str, parse: dict) -> Outcome:
    from bot.classification import classify_parse
    from bot.nlu.decision import ANSWER, decide

    result = classify_parse(parse)
    decision = decide(parse)
    candidates = tuple(key for key, _ in decision.candidates)
    confidence = float(decision.candidates[0][1]) if decision.candidates else 0.0
    return Outcome(
        message,
        text,
        result.intent,
        result.request,
        result.thematique,
        decision.kind,
        decision.answer if decision.kind == ANSWER else None,
        candidates,
        confidence,
    )


@dataclass
class DecisionScores:
    """The figures of the issue's targets, over a list of outcomes."""

    outcomes: list[Outcome]

    def _help(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.message.is_help]

    def _answerable(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.message.answerable]

    def figures(self) -> dict:
        help_, answerable = self._help(), self._answerable()
        unanswerable = [o for o in help_ if not o.message.answerable]
        given = [o for o in self.outcomes if o.decision == "answer" and o.answer]
        with_topic = [o for o in self.outcomes if o.message.thematique]
        return {
            "messages": len(self.outcomes),
            "help_messages": len(help_),
            "answerable": len(answerable),
            "unanswerable": len(unanswerable),
            "answer_accuracy": _ratio(sum(o.right_answer for o in answerable), len(answerable)),
            "reached_after_one_question": _ratio(sum(o.reached for o in answerable), len(answerable)),
            "best_candidate_accuracy": _ratio(
                sum(bool(o.candidates) and o.candidates[0] in o.message.answers for o in answerable), len(answerable)
            ),
            "precision_of_answers": _ratio(sum(o.answer in o.message.answers for o in given), len(given)),
            "answers_given": len(given),
            "answered": _ratio(sum(o.decision == "answer" for o in help_), len(help_)),
            "clarified": _ratio(sum(o.decision == "clarify" for o in help_), len(help_)),
            "declined": _ratio(sum(o.decision == "decline" for o in help_), len(help_)),
            "clarified_of_all_messages": _ratio(
                sum(o.decision == "clarify" for o in self.outcomes), len(self.outcomes)
            ),
            "unanswerable_declined_or_clarified": _ratio(
                sum(o.decision != "answer" for o in unanswerable), len(unanswerable)
            ),
            "thematique_accuracy": _ratio(
                sum(o.thematique == o.message.thematique for o in with_topic), len(with_topic)
            ),
            "thematique_messages": len(with_topic),
            "request_accuracy": _ratio(sum(o.request == o.message.request for o in self.outcomes), len(self.outcomes)),
        }

    def per_style(self) -> dict[str, dict]:
        """style -> {messages, answer_accuracy, reached, thematique_accuracy} (answerable / topic messages)."""
        styles = sorted({s for o in self.outcomes for s in o.message.styles})
        rows = {}
        for style in styles:
            chosen = [o for o in self.outcomes if style in o.message.styles]
            answerable = [o for o in chosen if o.message.answerable]
            topic = [o for o in chosen if o.message.thematique]
            rows[style] = {
                "messages": len(chosen),
                "answer_accuracy": _ratio(sum(o.right_answer for o in answerable), len(answerable)),
                "reached": _ratio(sum(o.reached for o in answerable), len(answerable)),
                "thematique_accuracy": _ratio(sum(o.thematique == o.message.thematique for o in topic), len(topic)),
            }
        return rows

    def confusions(self, top: int = 15) -> list[tuple[str, str, int]]:
        """(expected answer, given answer or best candidate, count) of the answerable messages missed."""
        pairs = Counter()
        for o in self._answerable():
            guess = o.answer or (o.candidates[0] if o.candidates else f"({o.decision} {o.intent})")
            if guess not in o.message.answers:
                pairs[(o.message.answers[0], guess)] += 1
        return [(g, p, n) for (g, p), n in pairs.most_common(top)]

    def reliability(self, edges=(0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0001)) -> list[tuple]:
        """(low, high, messages, mean confidence, share right) of the best candidate, on help messages."""
        rows = []
        for low, high in zip(edges, edges[1:]):
            chosen = [o for o in self._help() if low <= o.confidence < high]
            right = [bool(o.candidates) and o.candidates[0] in o.message.answers for o in chosen]
            rows.append(
                (
                    low,
                    min(high, 1.0),
                    len(chosen),
                    _ratio(sum(o.confidence for o in chosen), len(chosen)),
                    _ratio(sum(right), len(chosen)),
                )
            )
        return rows

    def errors(self) -> list[Outcome]:
        """Wrong answers given, answerable messages not reached, unanswerable ones answered,
        wrong thematique or request."""
        return [
            o
            for o in self.outcomes
            if (o.decision == "answer" and o.answer not in o.message.answers)
            or (o.message.answerable and not o.reached)
            or o.request != o.message.request
            or (o.message.thematique and o.thematique != o.message.thematique)
        ]


def decide_all(model, messages: list[Labelled], transform=None) -> tuple[DecisionScores, list[float]]:
    """Every message through the model and the decision; also each parse's time in seconds."""
    outcomes, times = [], []
    for message in messages:
        text = transform(message.text) if transform else message.text
        start = time.perf_counter()
        parse = model.parse(text)
        times.append(time.perf_counter() - start)
        outcomes.append(outcome_of(message, text, parse))
    return DecisionScores(outcomes), times
