"""The topic of a help question the catalogue has no answer for (`no_answer`).

Such a question is declined with a conseiller offered, but the conseiller's ticket and the Coop's
activity report still need its thematique. The answers' ranking does not know it: its nearest help
answer is often another topic ("ma box ne capte plus": no answer about boxes, and the nearest answer
is about Wi-Fi on the phone). So a second linear model is trained on thematiques, not answers: every
help example under its answer's thematique, and every `no_answer` example under the thematique its
block names in the NLU data (Rasa's intent metadata, `metadata: {thematique: ...}`); a typo copy of
an example (`python -m bot augment`) has the thematique of the example it was copied from.
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
