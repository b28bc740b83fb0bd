"""The classification contract: every intent maps onto a request and a thematique."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.classification import (
    REQUESTS,
    THEMATIQUES,
    classify_intent,
    classify_parse,
    request_of,
    thematique_of,
)
from bot.settings import ROOT
from bot.yaml_files import load_yaml


def domain_intents() -> list[str]:
    intents = []
    for path in sorted((ROOT / "bot" / "domain").glob("*.yml")):
        data = load_yaml(Path(path).read_text()) or {}
        for intent in data.get("intents") or []:
            intents.append(intent if isinstance(intent, str) else next(iter(intent)))
    return intents


def test_the_taxonomy_has_the_thirty_coop_values():
    assert len(THEMATIQUES) == 30
    assert "email" in THEMATIQUES and "argent_impots" in THEMATIQUES


def test_every_domain_intent_has_a_request_and_a_valid_thematique():
    intents = domain_intents()
    assert "greet" in intents
    for intent in intents:
        assert request_of(intent) in REQUESTS, intent
        thematique = thematique_of(intent)
        assert thematique is None or thematique in THEMATIQUES, intent


def test_faq_intents_are_questions_on_their_thematique():
    result = classify_intent("faq_email/mot_de_passe_oublie", 0.9)
    assert (result.request, result.thematique) == ("question", "email")


def test_an_unknown_intent_is_an_error_not_a_silent_guess():
    with pytest.raises(KeyError):
        request_of("some_new_intent")
    with pytest.raises(KeyError):
        thematique_of("faq_not_a_coop_value")


def test_below_the_fallback_threshold_the_best_real_guess_is_reported():
    parse = {
        "intent": {"name": "nlu_fallback", "confidence": 0.45},
        "intent_ranking": [
            {"name": "nlu_fallback", "confidence": 0.45},
            {"name": "greet", "confidence": 0.31},
        ],
    }
    result = classify_parse(parse)
    assert result.intent == "greet" and result.request == "salutation"
    assert result.as_dict("x") == {
        "text": "x",
        "intent": "greet",
        "confidence": 0.31,
        "request": "salutation",
        "thematique": None,
    }


def test_an_empty_parse_is_out_of_scope():
    assert classify_parse({"intent": {"name": None, "confidence": 0.0}}).request == "hors_sujet"


def test_a_request_for_a_person_that_names_a_topic_carries_its_thematique():
    parse = {
        "intent": {"name": "book_appointment", "confidence": 0.7},
        "intent_ranking": [
            {"name": "book_appointment", "confidence": 0.7},
            {"name": "faq_email", "confidence": 0.25},
            {"name": "greet", "confidence": 0.02},
        ],
    }
    result = classify_parse(parse)
    assert (result.request, result.thematique) == ("rendez_vous", "email")
    parse["intent_ranking"][1]["confidence"] = 0.1  # "RDV" alone: no topic stands out
    assert classify_parse(parse).thematique is None
    greeting = {"intent": {"name": "greet", "confidence": 0.7}, "intent_ranking": parse["intent_ranking"]}
    assert classify_parse(greeting).thematique is None


def test_a_question_without_an_answer_keeps_the_closest_topic():
    parse = {
        "intent": {"name": "no_answer", "confidence": 0.8},
        "intent_ranking": [
            {"name": "no_answer", "confidence": 0.8},
            {"name": "greet", "confidence": 0.1},
            {"name": "faq_loisirs_sports_culture", "confidence": 0.06},
            {"name": "faq_email", "confidence": 0.04},
        ],
    }
    result = classify_parse(parse)
    assert (result.intent, result.request, result.thematique) == ("no_answer", "question", "loisirs_sports_culture")
    parse["intent_ranking"] = parse["intent_ranking"][:2]  # no help intent at all: no topic is made up
    assert classify_parse(parse).thematique is None
