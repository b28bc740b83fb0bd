"""The help labels together against out_of_scope (bot/nlu/scope.py)."""

from bot.nlu.decision import CLARIFY, DECLINE, decide_ranking
from bot.nlu.scope import scoped


def test_many_small_help_labels_outweigh_out_of_scope_and_its_mass_means_no_answer():
    ranking = [
        ("out_of_scope", 0.35),
        ("faq_sante/ameli", 0.25),
        ("faq_social_sante/caf", 0.20),
        ("no_answer", 0.12),
        ("greet", 0.08),
    ]
    result = scoped(ranking)
    assert result[0][0] == "no_answer" and abs(result[0][1] - 0.47) < 1e-9
    assert abs(sum(p for _, p in result) - 1.0) < 1e-9  # still a distribution
    assert dict(result)["out_of_scope"] == 0.0
    # An unsure no_answer asks between the close answers rather than declining.
    assert decide_ranking(result).kind == CLARIFY


def test_out_of_scope_that_outweighs_every_help_label_together_stays():
    ranking = [("out_of_scope", 0.60), ("faq_sante/ameli", 0.20), ("no_answer", 0.15), ("greet", 0.05)]
    assert scoped(ranking) == ranking
    assert decide_ranking(scoped(ranking)).kind == DECLINE


def test_a_help_label_first_is_left_alone():
    ranking = [("faq_email/spams", 0.5), ("out_of_scope", 0.3), ("no_answer", 0.2)]
    assert scoped(ranking) == ranking
    assert scoped([]) == []
