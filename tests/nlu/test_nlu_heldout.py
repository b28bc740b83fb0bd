"""The trained model on the held-out sets: the French-understanding targets, as a test.

The same figures as `make eval` (bot/cli/eval.py), with its functions, on the BLIND set
(tests/nlu/blind.yml: written apart, before the training data it judges) and on the old
set (tests/nlu/heldout.yml). Targets of issue #15 are asserted where the model meets them;
where it does not yet, the measured level is asserted as a floor (a change that makes it
worse fails) and the target stands beside it, named `TARGET_...`: README.md, "NLU
figures", says which. Accuracy only: speed is `make bench`'s business.
"""

from __future__ import annotations

import pytest

from bot.classification import classify_parse
from bot.cli.eval import BLIND, DEV_ANSWERABLE, DEV_NO_ANSWER, DEV_SCOPE, GIBBERISH, HELDOUT, NOISE_SEEDS, noisy_figures
from bot.nlu.evaluation import decide_all, noisy, read_labelled
from bot.yaml_files import load_yaml

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def figures(model_path):
    from bot.nlu.model import TrainedModel

    model = TrainedModel(model_path)
    blind, old = read_labelled(BLIND), read_labelled(HELDOUT)
    try:
        result = {
            "blind": decide_all(model, blind)[0].figures(),
            "blind_noisy": decide_all(model, blind, lambda text: noisy(text, 13))[0].figures(),
            "blind_seeds": noisy_figures(model, blind, NOISE_SEEDS),
            "old": decide_all(model, old)[0].figures(),
            "old_noisy": decide_all(model, old, lambda text: noisy(text, 13))[0].figures(),
            "dev": decide_all(model, read_labelled(DEV_NO_ANSWER))[0].figures(),
            "dev_answerable": decide_all(model, read_labelled(DEV_ANSWERABLE))[0].figures(),
            "dev_scope": decide_all(model, read_labelled(DEV_SCOPE))[0].figures(),
            "gibberish": [classify_parse(model.parse(text)) for text in GIBBERISH],
        }
    finally:
        model.close()
    return result


# --- Blind set: targets of issue #15 that hold ------------------------------------------


def test_blind_the_noisy_copy_loses_at_most_three_points_of_thematique_and_request(figures):
    clean, seed_13, seeds = figures["blind"], figures["blind_noisy"], figures["blind_seeds"]
    for key in ("request_accuracy", "thematique_accuracy", "precision_of_answers"):
        assert clean[key] - seed_13[key] <= 0.03, (key, clean[key], seed_13[key])
        assert clean[key] - seeds[key][0] <= 0.03, (key, clean[key], seeds[key][0])


def test_gibberish_and_other_languages_get_no_answer(figures):
    threshold = fallback_threshold()
    for text, result in zip(GIBBERISH, figures["gibberish"]):
        # Never a help answer given with confidence ("lol mdr ptdr" may be taken for a greeting).
        assert result.confidence < threshold or result.request not in ("question", "urgence"), (text, result)


# --- Blind set: targets of issue #15 that hold (measured after the eleventh round of data, 2026-12-03;
# in brackets: after the ninth round, the sixth, then the fourth)
TARGET_CLARIFIED = 0.15  # measured 8.4 % of all messages (9.6 %; 10.0 %; 11.0 %)
TARGET_UNANSWERABLE = 0.80  # measured 85.9 % (87.5 %; 89.1 %; 89.1 %)
TARGET_PRECISION = 0.95  # measured 96.9 % (97.3 %; 97.3 %; 97.2 %)
TARGET_REACHED = 0.93  # measured 97.7 % (97.1 %; 96.7 %; 96.2 %)
# measured 97.1 %, 876 of 902 (97.2 %; 97.5 %; 96.8 %: met since the scope is decided on the sums,
# bot/nlu/scope.py)
TARGET_REQUEST = 0.97


def test_blind_clarifying_questions_stay_rare(figures):
    assert figures["blind"]["clarified_of_all_messages"] <= TARGET_CLARIFIED, figures["blind"]


def test_blind_questions_with_no_answer_are_mostly_not_answered(figures):
    assert figures["blind"]["unanswerable_declined_or_clarified"] >= TARGET_UNANSWERABLE, figures["blind"]


def test_blind_answers_given_are_mostly_right_and_most_questions_reach_their_answer(figures):
    blind = figures["blind"]
    assert blind["answerable"] >= 700 and blind["unanswerable"] >= 60
    assert blind["precision_of_answers"] >= TARGET_PRECISION, blind
    assert blind["reached_after_one_question"] >= TARGET_REACHED, blind


# --- Blind set: targets not met yet; the measured level is the floor ---------------------
# Measured on 2026-12-01 (README, "NLU figures"). Raise a floor when the model improves;
# never lower one to let a change through.
# Measured 91.6 % on 2026-12-02 with the thematique model weighed by the domains' words, chosen on
# the dev set below and the old set (91.9 % before, with the answers' sum; 90.8 % after the fourth round).
# 91.9 % after the eighth and ninth rounds of data (data/nlu/styles8_*.yml, styles9_*.yml); 92.0 % with
# the first of two questions in one message asked (bot/nlu/features.py, 2026-12-03); 92.4 % after the
# tenth round (data/nlu/styles10_young_*.yml).
TARGET_THEMATIQUE, FLOOR_THEMATIQUE = 0.95, 0.92


def test_blind_thematique(figures):
    assert figures["blind"]["thematique_accuracy"] >= FLOOR_THEMATIQUE, figures["blind"]


def test_blind_request(figures):
    assert figures["blind"]["request_accuracy"] >= TARGET_REQUEST, figures["blind"]


# --- Dev sets: where the thematique of a question not answered at once was chosen ---------
# Written blind on 2026-12-02. tests/nlu/dev_no_answer.yml: its thematique was 51.6 % with the
# answers' sum, 54.1 % with the thematique model alone, 58.7 % weighed by data/topics/lexicon.yml.
# 65.3 % with the 428 topic-only examples of data/nlu/styles7_no_answer.yml (2026-12-02, afternoon);
# 68.5 % with the eighth and ninth rounds (styles8_*.yml, styles9_*.yml; 2026-12-02, evening).
# tests/nlu/dev_answerable.yml (hard messages): 82.5 % with the sum, 84.3 % weighed; right answer
# at once 66.1 %, reached 85.7 %, precision 93.7 %; after the eighth and ninth rounds 85.2 %, at
# once 67.8 %, reached 86.0 %, precision 93.8 % (README, "NLU figures"); with the first of two
# questions asked (2026-12-03) thematique 89.4 %, at once 67.5 %, reached 86.0 %; after the tenth
# round 89.6 %, 68.3 %, 86.8 % and without an answer 70.0 %; after the eleventh (answer_only) 89.4 %,
# 69.5 %, 88.2 %, without an answer 70.0 %. Floors, as above.


def test_dev_questions_without_an_answer_keep_their_thematique_and_are_not_answered(figures):
    dev = figures["dev"]
    assert dev["unanswerable"] >= 300 and dev["answerable"] == 0
    assert dev["thematique_accuracy"] >= 0.69, dev
    assert dev["unanswerable_declined_or_clarified"] >= 0.85, dev


def test_dev_hard_questions_with_an_answer_keep_their_level(figures):
    dev = figures["dev_answerable"]
    assert dev["answerable"] >= 350
    assert dev["thematique_accuracy"] >= 0.88, dev
    assert dev["reached_after_one_question"] >= 0.87, dev
    assert dev["precision_of_answers"] >= 0.92, dev


# tests/nlu/dev_scope.yml (written blind on 2026-12-03): 201 digital questions told as everyday life
# and 100 everyday messages that are not digital help. Measured after the tenth round: request
# 75.1 % (most errors: everyday messages taken for help questions), thematique 70.1 %, precision of
# the answers given 83.7 %; after the eleventh 74.8 %, 69.7 %, 83.5 %. Floors, as above.


def test_dev_everyday_messages_keep_their_scope_and_thematique(figures):
    dev = figures["dev_scope"]
    assert dev["messages"] >= 300 and dev["help_messages"] >= 200
    assert dev["request_accuracy"] >= 0.74, dev
    assert dev["thematique_accuracy"] >= 0.69, dev


# --- Old set: the targets of the first French-understanding issue ------------------------


def test_old_request_and_thematique_accuracy_meet_the_targets(figures):
    old = figures["old"]
    assert old["request_accuracy"] >= 0.95, old
    assert old["thematique_accuracy"] >= 0.90, old


def test_old_most_help_questions_get_the_answer_they_need(figures):
    old = figures["old"]
    assert old["answerable"] >= 290
    assert old["best_candidate_accuracy"] >= 0.85, old  # what the answer selector was held to
    assert old["precision_of_answers"] >= 0.95, old


def test_old_the_noisy_copy_keeps_its_level(figures):
    old, seed_13 = figures["old"], figures["old_noisy"]
    assert old["request_accuracy"] - seed_13["request_accuracy"] <= 0.03, (old, seed_13)
    # 94.8 % before issue #15; 94.5 % after its fourth round of data (the floor was lowered to 0.94
    # then); 96.4 % after the sixth, with the thematique of a help question summed over its answers.
    assert seed_13["thematique_accuracy"] >= 0.95, seed_13


# 3.3 points lost before the second round of data (98.1 % clean, 94.8 % noisy); 1.3 now.
def test_old_the_noisy_copy_loses_at_most_three_points_of_thematique(figures):
    old, seed_13 = figures["old"], figures["old_noisy"]
    assert old["thematique_accuracy"] - seed_13["thematique_accuracy"] <= 0.03


def fallback_threshold() -> float:

    from bot.settings import ROOT

    config = load_yaml((ROOT / "bot" / "config.yml").read_text())
    return next(c["threshold"] for c in config["pipeline"] if c["name"] == "FallbackClassifier")
