"""The topic (thematique) of a help question that is not answered at once: declined (first of
all one the catalogue has no answer for, `no_answer`) or asked about.

Such a question still needs its thematique: the conseiller's ticket and the Coop's activity report
record it. The answers' ranking does not know it: its nearest help answer is often another topic
("ma box ne capte plus": no answer about boxes, and the nearest answer is about Wi-Fi on the
phone). So a second linear model is trained on thematiques, not answers: every help example under
its answer's thematique, and every `no_answer` example under the thematique its block names in the
NLU data (Rasa's intent metadata, `metadata: {thematique: ...}`); a typo copy of an example
(`python -m bot augment`) has the thematique of the example it was copied from. Its probabilities
are then weighed by the lexicon of each thematique's domain (bot/nlu/topic_lexicon.py): a
thematique whose words the message holds counts e^LEXICON_WEIGHT times more.

The parse's `question_topic` is the answer's thematique when an answer is given (what is sent and
what is recorded agree), else the best of that weighed ranking (`help_thematique`). Chosen on a dev
set of 320 questions without an answer written blind for it (tests/nlu/dev_no_answer.yml: 51.6 ->
59.1 %) and on the old held-out set (97.1 -> 98.1 %), against the earlier sum of the answers'
probabilities by thematique with `no_answer`'s shared out by the model (`thematique_mass`, still the
way when a model has no thematique model); README, "NLU figures".
Pure functions over examples and arrays; no Rasa import.
"""

from __future__ import annotations

import math

from bot.classification import QUESTIONS_WITHOUT_AN_ANSWER, thematique_of
from bot.coop import THEMATIQUES
from bot.nlu.topic_lexicon import LEXICON_WEIGHT


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
    shared out as the thematique model says (three close answers of one topic beat one of another).
    The thematique of a help question when the model has no thematique model (`help_thematique`)."""
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


def weighed_topics(topic_ranking: list[tuple[str, float]], hits: set[str]) -> list[tuple[str, float]]:
    """The thematique model's ranking with the lexicon's thematiques weighed e^LEXICON_WEIGHT times
    more, renormalised, best first (ties keep the model's order)."""
    boost = math.exp(LEXICON_WEIGHT)
    weighed = [(topic, p * boost if topic in hits else p) for topic, p in topic_ranking]
    total = sum(p for _, p in weighed) or 1.0
    return sorted(((topic, p / total) for topic, p in weighed), key=lambda item: -item[1])


def help_thematique(
    ranking: list[tuple[str, float]],
    topic_ranking: list[tuple[str, float]] | None,
    answer: str | None,
    hits: set[str] = frozenset(),
) -> str | None:
    """The thematique of a help question: the answer's when one is given (what is sent and what is
    recorded agree); else the thematique model's best, weighed by the lexicon's `hits`; without a
    thematique model, the answers' most probable one (`thematique_mass`)."""
    if answer:
        try:
            return thematique_of(answer)
        except KeyError:
            pass
    best = weighed_topics(topic_ranking, hits) if topic_ranking else thematique_mass(ranking, None)
    return best[0][0] if best else None
