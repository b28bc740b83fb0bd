"""A question without an answer keeps its topic: its thematique, learnt from the thematiques the
NLU data gives such questions (bot/nlu/question_topic.py), reaches the contract and the triage."""

from __future__ import annotations

from pathlib import Path

from bot.classification import classify_parse
from bot.coop import THEMATIQUES
from bot.nlu.question_topic import topic_labels
from bot.settings import ROOT
from bot.yaml_files import load_yaml


def test_each_example_gets_its_answers_thematique_or_the_one_its_data_declares():
    labels = ["faq_email/spams", "urgence/carte_bancaire", "no_answer", "no_answer", "no_answer", "greet"]
    declared = [None, None, "logement", None, "pas_une_thematique", None]
    groups = ["a", "b", "ma box", "ma box", "c", "d"]  # the fourth is a typo copy of the third
    assert topic_labels(labels, declared, groups) == [
        "email",
        "securite_numerique",
        "logement",
        "logement",
        None,
        None,
    ]


def test_the_contract_reads_the_topic_of_a_question_without_an_answer():
    parse = {
        "intent": {"name": "no_answer", "confidence": 0.9},
        "intent_ranking": [{"name": "no_answer", "confidence": 0.9}, {"name": "faq_email", "confidence": 0.05}],
        "question_topic": "navigation_sur_internet",
    }
    result = classify_parse(parse)
    assert (result.request, result.thematique) == ("question", "navigation_sur_internet")
    del parse["question_topic"]  # an older model: the closest help intent, as before
    assert classify_parse(parse).thematique == "email"


def test_every_block_of_questions_without_an_answer_declares_a_coop_thematique():
    blocks = 0
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        if path.name == "generated_typos.yml":  # copies: their originals' thematique
            continue
        for block in (load_yaml(Path(path).read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if block.get("intent") == "no_answer":
                blocks += 1
                thematique = (block.get("metadata") or {}).get("thematique")
                assert thematique in THEMATIQUES, f"{path.name}: a no_answer block without a Coop thematique"
    assert blocks >= len(THEMATIQUES)
