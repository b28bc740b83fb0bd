"""The training data and the answers keep their promises, checked without a model.

- every answer fits in 3 SMS segments (as sent: typography and accents folded);
- every topic of the Coop taxonomy has answers, every help intent has >= 40 examples,
  a rule and one response per sub-intent;
- the held-out evaluation sets (the old one and the blind one) cover every intent and share no
  message with the training, not even a near-copy (same words, or nearly).
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from bot.classification import REQUEST_OF_INTENT, THEMATIQUES
from bot.nlu.evaluation import read_nlu_file, read_nlu_folder, training_counts
from bot.nlu.near_copy import (
    BLIND,
    DEV_ANSWERABLE,
    DEV_NO_ANSWER,
    DEV_SCOPE,
    DEV_SETS,
    HELDOUT,
    CopyIndex,
    heldout_texts,
    near_copy,
    squash,
)
from bot.settings import ROOT
from bot.sms.encoding import count_segments, normalise
from bot.yaml_files import load_yaml

DOMAIN = ROOT / "bot" / "domain"
NLU = ROOT / "data" / "nlu"
RULES = ROOT / "data" / "rules"
# Overlaps that existed before the blind set's training data was written (the file says why).
PREEXISTING = ROOT / "tests" / "nlu" / "preexisting_overlaps.txt"
MIN_EXAMPLES = 40
MAX_SEGMENTS = 3
# Intents only said inside a conversation (answers to a question): not in the held-out set.
IN_CONVERSATION_ONLY = {
    "affirm",
    "deny",
    "skip",
    "nlu_fallback",
    "choose_answer",
    "not_my_question",
    "feedback_yes",
    "feedback_no",
}


@lru_cache(maxsize=1)
def domain_files() -> list[dict]:
    return [load_yaml(p.read_text(encoding="utf-8")) or {} for p in sorted(DOMAIN.glob("*.yml"))]


@lru_cache(maxsize=1)
def responses() -> dict[str, list[dict]]:
    merged = {}
    for data in domain_files():
        merged.update(data.get("responses") or {})
    return merged


def domain_intents() -> set[str]:
    intents = set()
    for data in domain_files():
        for intent in data.get("intents") or []:
            intents.add(intent if isinstance(intent, str) else next(iter(intent)))
    return intents


def rules_intent_to_actions() -> dict[str, set[str]]:
    """intent -> actions that a rule runs right after it."""
    mapping: dict[str, set[str]] = {}
    for path in sorted(RULES.glob("*.yml")):
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
        for rule in data.get("rules") or []:
            steps = rule.get("steps") or []
            for step, following in zip(steps, steps[1:]):
                intents = (
                    [step["intent"]]
                    if "intent" in step
                    else [s["intent"] for s in step.get("or") or [] if "intent" in s]
                )
                if "action" in following:
                    for intent in intents:
                        mapping.setdefault(intent, set()).add(following["action"])
    return mapping


def help_intent(name: str) -> bool:
    return name.startswith("faq_") or name == "urgence"


@pytest.mark.parametrize("name", sorted(responses()))
def test_every_response_fits_in_three_sms_segments(name):
    for variant in responses()[name]:
        text = variant.get("text") or ""
        segments = count_segments(normalise(text, True))
        assert segments.count <= MAX_SEGMENTS, (
            f"{name}: {segments.count} segments ({segments.encoding}, {segments.length}): {text}"
        )


def test_every_coop_thematique_has_answers():
    intents = domain_intents()
    missing = [t for t in THEMATIQUES if f"faq_{t}" not in intents]
    assert not missing, f"no faq_ intent in bot/domain for {missing}"
    assert "urgence" in intents


def test_every_help_intent_has_at_least_40_examples():
    counts = training_counts(read_nlu_folder(NLU))
    short = {i: c["examples"] for i, c in counts.items() if help_intent(i) and c["examples"] < MIN_EXAMPLES}
    assert not short, f"fewer than {MIN_EXAMPLES} examples: {short}"


def test_every_help_intent_of_the_domain_has_a_rule_answering_it():
    rules = rules_intent_to_actions()
    missing = [i for i in sorted(domain_intents()) if help_intent(i) and "action_answer" not in rules.get(i, set())]
    assert not missing, f"no rule `intent: X -> action: action_answer` (data/rules/answers.yml) for {missing}"


def test_every_sub_intent_has_a_response_and_every_response_a_sub_intent():
    subs = {e.intent for e in read_nlu_folder(NLU) if "/" in e.intent}
    answers = {name[len("utter_") :] for name in responses() if "/" in name}
    assert not subs - answers, f"sub-intents without a response: {sorted(subs - answers)}"
    assert not answers - subs, f"responses without a sub-intent: {sorted(answers - subs)}"


def test_the_heldout_set_covers_every_intent_a_resident_starts_with():
    held = {e.base for e in read_nlu_file(HELDOUT)}
    # `no_answer` (a question the catalogue cannot answer) is judged on the blind set's 64 such questions.
    expected = {f"faq_{t}" for t in THEMATIQUES} | set(REQUEST_OF_INTENT) - IN_CONVERSATION_ONLY - {"no_answer"}
    assert expected <= held, f"missing from the held-out set: {sorted(expected - held)}"


def test_the_blind_set_is_large_and_labelled():
    from bot.nlu.evaluation import read_blind

    messages = read_blind(BLIND)
    assert len(messages) >= 600
    assert all(m.text and m.request and m.styles for m in messages)


def test_the_dev_set_holds_questions_without_an_answer_over_every_thematique():
    from bot.nlu.evaluation import read_blind

    messages = read_blind(DEV_NO_ANSWER)
    assert len(messages) >= 300
    assert all(not m.answers and m.request == "question" and m.styles for m in messages)
    assert {m.thematique for m in messages} == set(THEMATIQUES)


def test_the_answerable_dev_set_covers_every_answer():
    from bot.nlu.evaluation import read_blind

    messages = read_blind(DEV_ANSWERABLE)
    assert len(messages) >= 300 and all(m.answers and m.thematique and m.styles for m in messages)
    faq_answers = {name[len("utter_") :] for name in responses() if name.startswith("utter_faq_") and "/" in name}
    assert {key for m in messages for key in m.answers} == faq_answers


def test_the_scope_dev_set_holds_help_questions_and_everyday_messages():
    from bot.nlu.evaluation import read_blind

    messages = read_blind(DEV_SCOPE)
    help_questions = [m for m in messages if m.request in ("question", "urgence")]
    everyday = [m for m in messages if m.request == "hors_sujet"]
    assert len(help_questions) >= 200 and len(everyday) >= 100
    assert len(help_questions) + len(everyday) == len(messages)
    assert all(m.thematique in THEMATIQUES and m.styles for m in help_questions)
    assert all(not m.answers and m.thematique is None for m in everyday)


def test_the_heldout_sets_are_never_trained_on():
    training = CopyIndex([e.text for e in read_nlu_folder(NLU)])
    leaked, near = [], []
    allowed = {line for line in PREEXISTING.read_text(encoding="utf-8").splitlines() if not line.startswith("#")}
    texts = heldout_texts(HELDOUT, BLIND, DEV_SETS)
    assert DEV_SCOPE in DEV_SETS
    assert len(texts) > len(heldout_texts(HELDOUT, BLIND, dev=())) + 900  # the dev sets are checked too
    for text in texts:
        squashed = squash(text)
        if squashed in allowed:
            continue
        if squashed in training.exact:
            leaked.append(text)
        elif training.copied(text):
            near.append(text)
    assert not leaked, f"held-out messages copied into data/nlu: {leaked}"
    assert not near, f"held-out messages nearly copied into data/nlu: {near}"


def test_a_near_copy_is_seen():
    assert near_copy(
        set("je veux bloquer le numero qui m appelle tous les jours".split()),
        set("je voudrais bloquer le numero qui m appelle tous les jours".split()),
    )
    assert not near_copy(set("je veux bloquer un numero".split()), set("comment bloquer un numero".split()))
