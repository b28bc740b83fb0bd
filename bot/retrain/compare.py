"""The headline figures of a model and the rule that puts it in service: not worse on any.

The figures are the ones `make eval` prints and README reports for each held-out set
(bot/cli/eval.py, TARGET_KEYS). Most are better when higher; the share of messages that
get a clarifying question is better when lower. The shares of answered / clarified /
declined help messages are shown but not compared on their own: they move together, and
what makes them good or bad is already in the right answers, the precision and the
unanswerable questions declined.
"""

from __future__ import annotations

# (key, French label, True when higher is better, the count the share is of)
HEADLINE = (
    ("answer_accuracy", "bonne réponse du premier coup", True, "answerable"),
    ("reached_after_one_question", "bonne réponse, au plus une question", True, "answerable"),
    ("precision_of_answers", "précision des réponses données", True, "answers_given"),
    ("unanswerable_declined_or_clarified", "sans réponse au catalogue : déclinées ou précisées", True, "unanswerable"),
    ("thematique_accuracy", "thématique", True, "thematique_messages"),
    ("request_accuracy", "type de demande", True, "messages"),
    ("clarified_of_all_messages", "questions de précision (tous messages)", False, "messages"),
)
SHOWN = ("answered", "clarified", "declined")
COUNTS = ("messages", "answerable", "unanswerable", "answers_given", "thematique_messages", "help_messages")
SET_LABELS = {"blind": "jeu aveugle", "old": "ancien jeu de test"}


def headline(figures: dict) -> dict:
    """The compared and shown figures of one set's `DecisionScores.figures()`."""
    keys = [key for key, *_ in HEADLINE] + list(SHOWN) + list(COUNTS)
    return {key: figures[key] for key in keys if key in figures}


def worse(before: dict, after: dict, tolerance: float = 0.0) -> list[str]:
    """Each headline figure on which `after` is worse than `before` by more than `tolerance`
    messages of what the share counts (1: one message may go either way, as retraining with a few
    more examples moves a margin or two), named "set: figure before -> after"; empty: not worse on any."""
    found = []
    for set_name in sorted(before):
        for key, label, higher, count in HEADLINE:
            if key not in before[set_name]:
                continue
            old, new = before[set_name][key], (after.get(set_name) or {}).get(key)
            if new is None:
                found.append(f"{SET_LABELS.get(set_name, set_name)} : {label} manquant")
                continue
            loss = ((old - new) if higher else (new - old)) * (after[set_name].get(count) or 1)
            if loss > tolerance + 1e-6:
                found.append(f"{SET_LABELS.get(set_name, set_name)} : {label} {100 * old:.1f} % -> {100 * new:.1f} %")
    return found
