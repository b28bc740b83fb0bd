"""The answer classifier's parts without a trained model: negation scopes, the sentence
that asks, features, calibration, the decision rule."""

from __future__ import annotations

import numpy as np
import pytest

from bot.nlu.calibration import fit_temperature, probabilities
from bot.nlu.decision import ANSWER, CLARIFY, DECLINE, Decision, decide, decide_ranking
from bot.nlu.features import Token, Vocabulary, asking_sentence, feature_names
from bot.nlu.negation import negated_flags, negated_mentions
from bot.nlu.text import normalise


def tokens(text: str) -> list[Token]:
    from bot.nlu.french import load_french

    return [
        Token(normalise(t.text), t.idx, t.idx + len(t.text)) for t in load_french().tokenizer(text) if t.text.strip()
    ]


def negated_words(text: str) -> list[str]:
    toks = tokens(text)
    return [t.word for t, f in zip(toks, negated_flags([t.word for t in toks])) if f]


@pytest.mark.parametrize(
    "text, words",
    [
        (
            "je dois faire ma demande à la CAF mais j'ai pas d'ordinateur et pas d'adresse mail",
            ["ordinateur", "adrese", "mail"],
        ),
        ("j'ai ni smartphone ni ordi", ["smartphone", "ordi"]),
        ("sans ordinateur comment faire ma declaration", ["ordinateur"]),
        ("jai pa d ordi", ["ordi"]),
        ("je n'ai plus de téléphone depuis hier", ["telephone"]),
        ("je n'arrive pas à me connecter à ma messagerie", []),  # a failure, not an absence
        ("je ne trouve pas mon ordinateur portable", []),
    ],
)
def test_negation_scopes_cover_what_the_resident_lacks(text, words):
    assert negated_words(text) == words


def test_negated_devices_email_and_logins_are_named():
    toks = tokens("J'ai pas d'ordinateur, pas d'adresse mail ni d'identifiant, mais une tablette")
    mentions = negated_mentions([(t.word, t.start, t.end) for t in toks])
    assert [(m.kind, m.value) for m in mentions] == [
        ("appareil", "ordinateur"),
        ("email", "adrese"),
        ("email", "mail"),
        ("identifiants", "identifiant"),
    ]
    assert "tablette" not in [m.value for m in mentions]


def test_the_sentence_that_asks_is_the_question_after_the_story():
    text = (
        "Mon mari est décédé en mars. J'ai toujours laissé les papiers à lui. "
        "Comment je fais pour demander la pension de réversion en ligne ? Merci"
    )
    toks = tokens(text)
    asked = " ".join(toks[i].word for i in asking_sentence(toks, text))
    assert asked.startswith("coment je fais") and asked.endswith("?")
    one = tokens("comment envoyer une photo")
    assert asking_sentence(one, "comment envoyer une photo") == list(range(len(one)))


def asked(text: str) -> str:
    toks = tokens(text)
    return " ".join(toks[i].word for i in asking_sentence(toks, text))


def test_of_two_questions_in_one_message_the_first_is_the_one_asked():
    text = "comment je change ma photo de profil sur facebook ? et pour imprimer un billet de train, je fais comment ?"
    assert asked(text).startswith("coment je change ma photo de profil")
    # A third question does not move it either.
    assert asked(text + " et la box ?").startswith("coment je change ma photo")


def test_a_question_that_names_nothing_is_not_the_one_asked():
    # "Vous allez bien ?" and "pouvez-vous m'aider ?" come first but ask nothing: the question is the last.
    text = "Bonjour, vous allez bien ? Pouvez-vous m'aider ? Ma tablette ne se connecte plus au wifi depuis hier, pourquoi ?"
    assert "wifi" in asked(text).split()
    # Only questions that name nothing: the last of them, as before.
    story = "Je n'arrive pas à envoyer une photo par mail. Comment faire ? Vous pouvez m'aider ?"
    assert asked(story).startswith("vous pouvez")


def test_a_negated_word_is_a_feature_of_its_own():
    text = "j'ai pas d'ordinateur"
    names = feature_names(tokens(text), text)
    assert "n:ordinateur" in names and "w:ordinateur" not in names
    assert not any(n.startswith("c:") and "dinat" in n for n in names)
    assert "q:~ordinateur" in names and "q:ai" in names


def test_tf_idf_rows_are_unit_length_and_round_trip(tmp_path):
    docs = [["w:a", "w:b", "w:b"], ["w:b", "w:c"], ["w:z"]]
    vocabulary = Vocabulary.fit(docs[:2])
    rows = vocabulary.transform(docs)
    np.testing.assert_allclose(np.asarray(rows.multiply(rows).sum(axis=1)).ravel(), [1, 1, 0])
    vocabulary.save(tmp_path)
    again = Vocabulary.load(tmp_path)
    assert (again.transform(docs) != rows).nnz == 0


def test_the_temperature_makes_confidence_match_accuracy():
    rng = np.random.default_rng(0)
    gold = rng.integers(0, 4, size=2000)
    scores = rng.normal(size=(2000, 4))
    scores[np.arange(2000), gold] += 1.0  # right about 60 % of the time, scores on a narrow scale
    temperature = fit_temperature(scores, gold)
    probs = probabilities(scores, temperature)
    right = probs.argmax(axis=1) == gold
    assert abs(probs.max(axis=1).mean() - right.mean()) < 0.03


def test_the_decision_answers_asks_or_declines():
    sure = decide_ranking([("faq_email/spams", 0.9), ("faq_email/bloquer", 0.05), ("greet", 0.01)])
    assert (sure.kind, sure.answer) == (ANSWER, "faq_email/spams")
    close = decide_ranking([("faq_email/spams", 0.4), ("faq_email/bloquer", 0.3), ("faq_securite_numerique/x", 0.2)])
    assert close.kind == CLARIFY and [k for k, _ in close.candidates] == [
        "faq_email/spams",
        "faq_email/bloquer",
        "faq_securite_numerique/x",
    ]
    lost = decide_ranking([("faq_email/spams", 0.15), ("faq_logement/apl", 0.05), ("faq_justice/casier", 0.04)])
    assert lost.kind == DECLINE and lost.answer is None
    greeting = decide_ranking([("greet", 0.95), ("faq_email/spams", 0.01)])
    assert greeting.kind == DECLINE


def test_one_likely_answer_alone_is_asked_about_not_declined():
    # "Votre question porte sur : 1. ... 2. Autre chose": no second answer is close, but this one
    # holds CLARIFY_MASS by itself.
    alone = decide_ranking([("faq_email/spams", 0.6), ("no_answer", 0.3), ("faq_logement/apl", 0.02)])
    assert (alone.kind, [k for k, _ in alone.candidates]) == (CLARIFY, ["faq_email/spams"])
    weak = decide_ranking([("faq_email/spams", 0.3), ("no_answer", 0.25), ("faq_logement/apl", 0.02)])
    assert weak.kind == DECLINE


def test_no_answer_declines_when_sure_and_asks_between_close_answers_when_not():
    sure = decide_ranking([("no_answer", 0.85), ("faq_email/spams", 0.1), ("faq_email/bloquer", 0.05)])
    assert sure.kind == DECLINE
    unsure = decide_ranking([("no_answer", 0.45), ("faq_email/spams", 0.3), ("faq_email/bloquer", 0.2)])
    assert unsure.kind == CLARIFY and [k for k, _ in unsure.candidates] == ["faq_email/spams", "faq_email/bloquer"]
    out_of_scope = decide_ranking([("out_of_scope", 0.45), ("faq_email/spams", 0.3), ("faq_email/bloquer", 0.2)])
    assert out_of_scope.kind == DECLINE  # not a digital question: nothing to ask about


def test_the_parse_carries_the_pipelines_decision():
    stored = Decision(CLARIFY, "faq_email/spams", (("faq_email/spams", 0.4), ("faq_email/bloquer", 0.3)))
    assert decide({"answer_decision": stored.as_dict()}) == stored


def test_a_message_of_unknown_words_loses_its_confidence():
    from rasa.nlu.constants import TOKENS_NAMES
    from rasa.nlu.tokenizers.tokenizer import Token as RasaToken
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu.unknown_words import UnknownWordsGuard

    guard = UnknownWordsGuard({}, None, None, known={"comment", "envoyer", "un", "mail"})

    def message(words):
        m = Message(data={"text": " ".join(words), "intent": {"name": "out_of_scope", "confidence": 0.4}})
        m.set(TOKENS_NAMES["text"], [RasaToken(w, 0, lemma=w) for w in words])
        return m

    gibberish, question = message(["xqzw", "plokj", "vbnmz"]), message(["comment", "envoyer", "un", "mial"])
    close_call = {"decision": "clarify", "answer": "faq_email/spams", "candidates": [{"answer": "faq_email/spams"}]}
    for m in (gibberish, question):
        m.set("answer_decision", dict(close_call))
    guard.process([gibberish, question])
    assert gibberish.get("intent")["confidence"] == 0.0
    # No "Votre question porte sur : 1. ..." for words it never saw: declined, the candidates kept.
    assert gibberish.get("answer_decision") == {**close_call, "decision": "decline", "answer": None}
    assert question.get("intent")["confidence"] == 0.4
    assert question.get("answer_decision") == close_call
