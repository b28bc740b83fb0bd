"""The NLU's decision for one message: answer, clarify, or decline.

This is the contract between understanding (bot/nlu/) and conversation (actions/,
data/rules/): the actions read `decide(parse_data)` and never look at confidences
themselves. A wrong answer given with confidence hurts more than a short question, so
the NLU says which of three outcomes fits:

- `answer`: one answer key (`faq_email/spams`) is good enough to send;
- `clarify`: two or three candidates are close; ask "Votre question porte sur : 1. ... 2. ... 3. Autre chose";
- `decline`: no answer fits; say so plainly and offer a conseiller.

The answer classifier (bot/nlu/answer_classifier.py) writes its decision into the parse
(property `answer_decision`, which reaches `tracker.latest_message`: Rasa's UserUttered
keeps every output property of the parse); without it (an older model) the decision is
derived here from Rasa's `intent` and `response_selector`. Either way the shape is
`Decision`. Its confidences are calibrated probabilities (bot/nlu/calibration.py).

The same parse carries `negated` (bot/nlu/negation.py): the devices, e-mail and logins the
message says the resident does not have, as [{"kind": "appareil" | "email" |
"identifiants", "value", "start", "end"}]; `appareil` entities inside a negation carry
`"negated": true`. Never pre-fill a triage answer from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DECISION_KEY = "answer_decision"
ANSWER, CLARIFY, DECLINE = "answer", "clarify", "decline"
MAX_CANDIDATES = 3

# The answer classifier's rule (bot/nlu/answer_classifier.py writes its decision into the
# parse): answer when the best answer's calibrated confidence reaches ANSWER_AT; else ask
# between the (up to three) answers of at least CANDIDATE_AT when they hold CLARIFY_MASS
# together (one answer alone: "1. ... 2. Autre chose"); else decline. Tuned by scripts/answer_lab.py on the
# training data's cross-validation and the old held-out set (README, "NLU figures").
# Chosen on the old held-out set (scripts/tune_decision.py): the most messages reached
# with the answers given right at least 96.5 % of the time and at most 10 % clarified.
# Re-chosen by that rule after the third round of training data (0.7 before; at 0.7 the
# answers given on the old set were right 95.4 % of the time, at 0.8 96.8 %); CLARIFY_MASS
# re-chosen after the fourth round, when one answer alone could be asked about (0.3 before: 10.1 %
# of the old set's help messages clarified, over the rule's 10 %).
ANSWER_AT = 0.8
CANDIDATE_AT = 0.05
CLARIFY_MASS = 0.4

# The label of a help question the catalogue has no answer for (bot/classification.py): below
# ANSWER_AT it is not sure enough to decline when close answers exist.
UNSURE_CAN_CLARIFY = ("no_answer",)

# Thresholds of the derived decision (used only when the pipeline wrote none).
ANSWER_CONFIDENCE = 0.6
CANDIDATE_CONFIDENCE = 0.1


@dataclass(frozen=True)
class Decision:
    kind: str  # ANSWER, CLARIFY or DECLINE
    answer: str | None = None  # the answer key it would give, e.g. "faq_email/spams"
    candidates: tuple[tuple[str, float], ...] = field(default_factory=tuple)  # best first, <= 3

    def as_dict(self) -> dict:
        return {
            "decision": self.kind,
            "answer": self.answer,
            "candidates": [{"answer": key, "confidence": round(float(p), 4)} for key, p in self.candidates],
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Decision":
        candidates = tuple((c["answer"], float(c.get("confidence") or 0.0)) for c in data.get("candidates") or [])
        return cls(data.get("decision") or DECLINE, data.get("answer"), candidates[:MAX_CANDIDATES])


def is_answer_key(intent: str | None) -> bool:
    return bool(intent) and (intent.startswith("faq_") or intent.startswith("urgence"))


def decide_ranking(
    ranking, answer_at: float = ANSWER_AT, candidate_at: float = CANDIDATE_AT, clarify_mass: float = CLARIFY_MASS
) -> Decision:
    """The decision from the answer classifier's calibrated ranking over every label
    (answer keys and conversational intents), best first."""
    answers = [(key, float(p)) for key, p in ranking if is_answer_key(key) and "/" in key]
    close = [a for a in answers[:MAX_CANDIDATES] if a[1] >= candidate_at]
    if not ranking or not is_answer_key(ranking[0][0]):
        # "No answer in the catalogue" declines only when it is sure (as an answer must be to be
        # given); unsure, it asks between the closest answers, and "Autre chose" offers a conseiller.
        if ranking and ranking[0][0] in UNSURE_CAN_CLARIFY and float(ranking[0][1]) < answer_at:
            if len(close) >= 2 and sum(p for _, p in close) >= clarify_mass:
                return Decision(CLARIFY, close[0][0], tuple(close))
        return Decision(DECLINE, None, tuple(answers[:MAX_CANDIDATES]))
    best_key, best = answers[0]
    if best >= answer_at:  # the others stay candidates for "autre chose"
        return Decision(ANSWER, best_key, tuple(answers[:MAX_CANDIDATES]))
    if sum(p for _, p in close) >= clarify_mass:  # one close answer alone: "1. ... 2. Autre chose"
        return Decision(CLARIFY, best_key, tuple(close))
    return Decision(DECLINE, None, tuple(answers[:MAX_CANDIDATES]))


def decide(parse_data: dict) -> Decision:
    """The decision for a parsed message (Rasa's parse data / tracker.latest_message)."""
    stored = parse_data.get(DECISION_KEY)
    if isinstance(stored, dict):
        return Decision.from_dict(stored)
    return _derived(parse_data)


def decision_fields(parse_data: dict) -> dict:
    """The decision's keys of the classification contract (`python -m bot classify`):
    `answer` (given only when the decision is to answer), `decision`, `candidates` (keys, best first)."""
    decision = decide(parse_data)
    return {
        "answer": decision.answer if decision.kind == ANSWER else None,
        "decision": decision.kind,
        "candidates": [key for key, _ in decision.candidates],
    }


def _derived(parse_data: dict) -> Decision:
    intent = parse_data.get("intent") or {}
    name = intent.get("name")
    ranking = [r for r in parse_data.get("intent_ranking") or [] if r.get("name") != "nlu_fallback"]
    if name == "nlu_fallback" and ranking:
        name, confidence = ranking[0]["name"], float(ranking[0].get("confidence") or 0.0)
    else:
        confidence = float(intent.get("confidence") or 0.0)
    if not is_answer_key(name):
        return Decision(DECLINE)
    selector = (parse_data.get("response_selector") or {}).get(name) or {}
    answers = [
        (r["intent_response_key"], confidence * float(r.get("confidence") or 0.0))
        for r in selector.get("ranking") or []
    ]
    if not answers:
        return Decision(DECLINE)
    answers = [a for a in answers if a[1] >= CANDIDATE_CONFIDENCE][:MAX_CANDIDATES] or answers[:1]
    best_key, best = answers[0]
    if best >= ANSWER_CONFIDENCE:
        return Decision(ANSWER, best_key, tuple(answers))
    if len(answers) >= 2:
        return Decision(CLARIFY, best_key, tuple(answers))
    return Decision(DECLINE, None, tuple(answers))
