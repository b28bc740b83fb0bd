"""The evaluation's own arithmetic and its noisy copy, checked without a model."""

from __future__ import annotations

from bot.nlu.evaluation import Scores, noisy, read_nlu_file, strip_accents, strip_entities
from bot.settings import ROOT


def test_the_noisy_copy_strips_accents_adds_typos_and_is_deterministic():
    text = "Je n'arrive plus à me connecter à ma messagerie électronique"
    first, again = noisy(text, seed=13), noisy(text, seed=13)
    assert first == again
    assert first != strip_accents(text), "no typo was made"
    assert not any(c in first for c in "àéèêç")
    assert noisy("ok", 13) == "ok"  # nothing to misspell


def test_entities_are_not_part_of_the_text():
    assert strip_entities('mon [iphone](appareil) et [CAF]{"entity": "organisme"}') == "mon iphone et CAF"


def test_precision_recall_f1_request_and_thematique():
    scores = Scores()
    scores.add("faq_email", "faq_email/piece_jointe", "question", "email", False)
    scores.add("faq_email", "faq_bureautique/lettre", "question", "bureautique", False)
    scores.add("greet", "greet", "salutation", None, False)
    scores.add("urgence", "faq_securite_numerique/phishing", "question", "securite_numerique", True)
    rows = scores.per_intent()
    assert rows["faq_email"] == (1.0, 0.5, 2 / 3, 2)
    assert rows["faq_bureautique"][:2] == (0.0, 0.0)
    assert scores.intent_accuracy() == 0.5
    assert scores.request_accuracy() == 0.75  # the urgence was taken for a question
    assert scores.thematique_accuracy() == (2 / 3, 3)  # greet has no topic; urgence -> securite_numerique
    assert scores.fallbacks == 1
    assert scores.confusions() == [("faq_email", "faq_bureautique", 1), ("urgence", "faq_securite_numerique", 1)]


def test_answer_accuracy_counts_the_messages_labelled_with_an_answer():
    from bot.nlu.evaluation import answer_of

    scores = Scores()
    scores.add("faq_email/piece_jointe", "faq_email/piece_jointe", "question", "email", False)
    scores.add("faq_email/spam", "faq_email/piece_jointe", "question", "email", False)
    scores.add("faq_email/spam", "faq_bureautique/lettre", "question", "bureautique", False)
    scores.add("faq_email", "faq_email/spam", "question", "email", False)  # no fitting answer: not counted
    assert scores.answer_accuracy() == (1 / 3, 3)
    assert scores.intent_accuracy() == 0.75
    parse = {
        "intent": {"name": "faq_email"},
        "response_selector": {"faq_email": {"response": {"intent_response_key": "faq_email/spam"}}},
    }
    assert answer_of(parse) == "faq_email/spam"
    assert answer_of({"intent": {"name": "greet"}, "response_selector": {}}) is None


def test_the_heldout_set_reads_as_labelled_messages():
    examples = read_nlu_file(ROOT / "tests" / "nlu" / "heldout.yml")
    assert len(examples) >= 380
    assert all(e.text and e.intent for e in examples)


def test_typo_copies_keep_the_label_drop_annotations_and_are_stable():
    from bot.nlu.evaluation import Example, typo_copies

    examples = [
        Example(f"je n'arrive pas a envoyer le message numero {i}", "faq_email/piece_jointe") for i in range(40)
    ]
    examples.append(Example("mon [iphone](appareil) est tres lent ce matin", "faq_maintenance_de_materiel/lent"))
    copies = typo_copies(examples)
    assert len(copies) == len(examples), "every example gets one copy"
    assert copies == typo_copies(examples)
    assert [c.intent for c in copies] == [e.intent for e in examples]
    assert not {c.text for c in copies} & {e.text for e in examples}
    assert all("[" not in c.text for c in copies)
    assert len(typo_copies(examples, share=2)) < len(examples), "share=2: about one in two"


def test_the_generated_typo_file_follows_the_hand_written_data():
    """`python -m bot augment` (run by `make train`) was run after the last data edit."""
    from bot.cli.augment import GENERATED, NLU
    from bot.nlu.evaluation import render_nlu, typo_copies

    examples = []
    for path in sorted(NLU.glob("**/*.yml")):
        if path != GENERATED:
            examples.extend(read_nlu_file(path, keep_entities=True))
    assert GENERATED.read_text(encoding="utf-8") == render_nlu(typo_copies(examples)), (
        "data/nlu/generated_typos.yml is stale: run `python -m bot augment`"
    )


def _outcome(
    answers,
    decision,
    answer=None,
    candidates=(),
    request="question",
    thematique="email",
    given_thematique="email",
    styles=("sms",),
):
    from bot.nlu.evaluation import Labelled, Outcome

    message = Labelled("x", tuple(answers), request, thematique, None, tuple(styles))
    return Outcome(
        message,
        "x",
        "faq_email",
        "question",
        given_thematique,
        decision,
        answer,
        tuple(candidates),
        0.9 if decision == "answer" else 0.4,
    )


def test_decision_figures_count_answers_questions_and_declines():
    from bot.nlu.evaluation import DecisionScores

    scores = DecisionScores(
        [
            _outcome(["faq_email/spams"], "answer", "faq_email/spams", ["faq_email/spams"]),
            _outcome(["faq_email/spams", "faq_email/bloquer"], "answer", "faq_email/bloquer", ["faq_email/bloquer"]),
            _outcome(["faq_email/spams"], "answer", "faq_email/piece_jointe", ["faq_email/piece_jointe"]),
            _outcome(["faq_email/spams"], "clarify", None, ["faq_email/piece_jointe", "faq_email/spams"]),
            _outcome([], "decline", styles=("long_story",)),
            _outcome([], "answer", "faq_email/spams", ["faq_email/spams"], given_thematique="bureautique"),
        ]
    )
    f = scores.figures()
    assert (f["answerable"], f["unanswerable"], f["answers_given"]) == (4, 2, 4)
    assert f["answer_accuracy"] == 2 / 4
    assert f["reached_after_one_question"] == 3 / 4
    assert f["precision_of_answers"] == 2 / 4
    assert (f["answered"], f["clarified"], f["declined"]) == (4 / 6, 1 / 6, 1 / 6)
    assert f["unanswerable_declined_or_clarified"] == 1 / 2
    assert f["thematique_accuracy"] == 5 / 6
    assert scores.per_style()["sms"]["reached"] == 3 / 4
    assert scores.confusions() == [("faq_email/spams", "faq_email/piece_jointe", 2)]


def test_the_blind_set_reads_with_every_answer_and_style():
    from bot.nlu.evaluation import read_labelled

    blind = read_labelled(ROOT / "tests" / "nlu" / "blind.yml")
    assert len(blind) >= 600
    assert any(len(m.answers) > 1 for m in blind) and any(not m.answers and m.is_help for m in blind)
    old = read_labelled(ROOT / "tests" / "nlu" / "heldout.yml")
    assert old[0].answers and old[0].request == "question"
