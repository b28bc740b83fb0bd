"""A question without an answer keeps its topic: its thematique, learnt from the thematiques the
NLU data gives such questions (bot/nlu/question_topic.py), reaches the contract and the triage."""

from __future__ import annotations

from pathlib import Path

from bot.classification import classify_parse
from bot.coop import THEMATIQUES
from bot.nlu.question_topic import help_thematique, thematique_mass, topic_labels
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


def test_without_a_thematique_model_three_close_answers_of_one_topic_beat_a_single_better_one():
    ranking = [
        ("faq_email/spams", 0.30),
        ("faq_securite_numerique/arnaque_sms", 0.25),
        ("urgence/carte_bancaire", 0.20),  # an urgence is a securite_numerique question
        ("no_answer", 0.20),
        ("greet", 0.05),
    ]
    topics = [("securite_numerique", 0.5), ("email", 0.5)]
    mass = dict(thematique_mass(ranking, topics))
    assert abs(mass["securite_numerique"] - 0.55) < 1e-9 and abs(mass["email"] - 0.40) < 1e-9
    # A model without a thematique model (no `no_answer` block declares one): the answers' sum.
    assert help_thematique(ranking, None, answer=None) == "securite_numerique"
    # With one, its best (weighed by the lexicon: bot/nlu/topic_lexicon.py), not the answers' sum.
    assert help_thematique(ranking, [("email", 0.6), ("securite_numerique", 0.4)], answer=None) == "email"
    # An answer given: its thematique, so that what is sent and what is recorded agree.
    assert help_thematique(ranking, topics, answer="faq_email/spams") == "email"


def test_the_contract_reads_the_thematique_of_any_help_question():
    parse = {
        "intent": {"name": "faq_email", "confidence": 0.4},
        "intent_ranking": [{"name": "faq_email", "confidence": 0.4}],
        "question_topic": "securite_numerique",
    }
    assert classify_parse(parse).thematique == "securite_numerique"
    del parse["question_topic"]  # an older model: the intent's
    assert classify_parse(parse).thematique == "email"


def message(text, intent, key=None, metadata=None):
    """A training example as the tokenizer leaves it: one token a word, its block's metadata."""
    from rasa.nlu.constants import TOKENS_NAMES
    from rasa.nlu.tokenizers.tokenizer import Token
    from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, TEXT
    from rasa.shared.nlu.training_data.message import Message

    data = {TEXT: text, INTENT: intent}
    if key:
        data[INTENT_RESPONSE_KEY] = key
    if metadata:
        data["metadata"] = {"intent": metadata}
    m = Message(data=data)
    tokens, start = [], 0
    for word in text.split():
        tokens.append(Token(word, start, lemma=word))
        start += len(word) + 1
    m.set(TOKENS_NAMES[TEXT], tokens)
    return m


def test_examples_marked_topic_only_teach_the_thematique_model_and_not_the_answer_model(tmp_path):
    """`topic_only: true` in a block's metadata (and a typo copy of such an example, which
    `python -m bot augment` writes without metadata) keeps the example out of the answer
    model: questions without an answer teach their topic without making answerable hard
    questions declined."""
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from bot.nlu.answer_classifier import AnswerClassifier, topic_only_rows
    from bot.nlu.evaluation import AUGMENT_SEED, noisy

    only = {"thematique": "logement", "topic_only": True}
    topic_only_text = "ou trouver le diagnostic energetique de mon appartement en ligne"
    copy = noisy(topic_only_text, seed=AUGMENT_SEED, rate=0.15)
    assert copy != topic_only_text
    examples = (
        [message(f"ma boite mail est pleine {i}", "faq_email", "faq_email/boite_pleine") for i in range(6)]
        + [message(f"je recois des spams tous les jours {i}", "faq_email", "faq_email/spams") for i in range(6)]
        + [message(f"mon fils veut une console de jeux {i}", "greet") for i in range(4)]
        + [message(topic_only_text, "no_answer", metadata=only), message(copy, "no_answer")]
        + [message("un bail numerique signe a distance", "no_answer", metadata=only) for i in range(3)]
    )
    labels = [AnswerClassifier.label_of(e) for e in examples]
    groups = (
        [e.get(TEXT) for e in examples[:-5]] + [topic_only_text, topic_only_text] + [e.get(TEXT) for e in examples[-3:]]
    )
    assert list(topic_only_rows(examples, groups, labels)) == [False] * 16 + [True] * 5
    # A same text under another label is not flagged by its neighbour's metadata.
    assert not topic_only_rows([examples[0], examples[16]], [topic_only_text] * 2, ["faq_email/spams", "no_answer"])[0]

    classifier = AnswerClassifier.create(
        {"cv_folds": 0}, LocalModelStorage(tmp_path), Resource("answers"), execution_context=None
    )
    classifier.train(TrainingData(training_examples=examples))
    # The only questions without an answer are topic-only: the answer model never learnt the label,
    # the thematique model learnt their thematique beside the answers' own.
    assert set(classifier.model.classes) == {"faq_email/boite_pleine", "faq_email/spams", "greet"}
    assert set(classifier.topics.classes) == {"email", "logement"}


def test_examples_marked_answer_only_teach_the_answer_model_and_not_the_thematique_model(tmp_path):
    """`answer_only: true` (and a typo copy of such an example) keeps an answerable example out of
    the thematique model: long stories and two questions in one teach the answer without teaching
    their context's words to the thematique of questions that have no answer."""
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from bot.nlu.answer_classifier import AnswerClassifier, flagged_rows

    answer_only = {"answer_only": True}
    examples = (
        [message(f"ma boite mail est pleine {i}", "faq_email", "faq_email/boite_pleine") for i in range(6)]
        + [
            message(
                f"ma demande de logement social en ligne {i}",
                "faq_logement",
                "faq_logement/logement_social",
                answer_only,
            )
            for i in range(6)
        ]
        + [message("un bail numerique signe a distance", "no_answer", metadata={"thematique": "bureautique"})]
    )
    labels = [AnswerClassifier.label_of(e) for e in examples]
    groups = [e.get(TEXT) for e in examples]
    assert list(flagged_rows(examples, groups, labels, "answer_only")) == [False] * 6 + [True] * 6 + [False]

    classifier = AnswerClassifier.create(
        {"cv_folds": 0}, LocalModelStorage(tmp_path), Resource("answers"), execution_context=None
    )
    classifier.train(TrainingData(training_examples=examples))
    # The answer model learnt the answer; the thematique model never saw its examples.
    assert "faq_logement/logement_social" in set(classifier.model.classes)
    assert set(classifier.topics.classes) == {"email", "bureautique"}


def blocks_flagged(flag: str) -> list[tuple[str, str, dict]]:
    """(file, intent, metadata) of every NLU data block whose metadata names `flag`."""
    found = []
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for block in (load_yaml(Path(path).read_text(encoding="utf-8")) or {}).get("nlu") or []:
            metadata = block.get("metadata") or {}
            if flag in metadata:
                found.append((path.name, block.get("intent") or "", metadata))
    return found


def test_answer_only_is_a_flag_of_answers_in_the_data():
    flagged = blocks_flagged("answer_only")
    for name, intent, metadata in flagged:
        assert metadata["answer_only"] is True and "/" in intent and "topic_only" not in metadata, name
    assert len(flagged) >= 100


def test_topic_only_is_a_flag_of_questions_without_an_answer_in_the_data():
    flagged = blocks_flagged("topic_only")
    for name, intent, metadata in flagged:
        assert metadata["topic_only"] is True and intent == "no_answer", name
    assert len(flagged) >= len(THEMATIQUES)
