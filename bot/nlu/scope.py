"""Is a message about digital help at all? The help labels together, against `out_of_scope`.

The answer classifier's labels are many help labels (every answer key, and `no_answer` for a
digital question the catalogue lacks) and one `out_of_scope` (the weather, football, a recipe).
A digital question without an answer, written like an everyday question ("sur le site de la
cantine je trouve pas où payer"), spreads its probability over many help labels, each small,
while `out_of_scope` is one label and can come first with less than all of them together.

So the scope is decided on the sums: when the help labels together outweigh `out_of_scope`,
the message is a help question, and what `out_of_scope` meant for it ("no answer of the
catalogue fits") is `no_answer`'s meaning: its probability moves to `no_answer`. The ranking
still sums to one; the decision (bot/nlu/decision.py) then treats it as any `no_answer`
(declined when sure, else a question between the close answers). Pure function, no Rasa.
"""

from __future__ import annotations

from bot.nlu.decision import is_answer_key

OUT_OF_SCOPE = "out_of_scope"
NO_ANSWER = "no_answer"


def is_help_label(label: str) -> bool:
    """An answer key (bot/nlu/decision.py) or a digital question without an answer."""
    return is_answer_key(label) or label == NO_ANSWER


def help_mass(ranking: list[tuple[str, float]]) -> float:
    return sum(p for label, p in ranking if is_help_label(label))


def scoped(
    ranking: list[tuple[str, float]], known_share: float = 1.0, min_known_share: float = 0.0
) -> list[tuple[str, float]]:
    """The ranking (best first), with `out_of_scope`'s probability moved to `no_answer` when it
    comes first but the help labels together outweigh it; unchanged otherwise, and for a message
    of words the model mostly never saw (`known_share` below `min_known_share`): its ranking is
    flat, and help labels, most of the labels, would always win it."""
    if not ranking or ranking[0][0] != OUT_OF_SCOPE or known_share < min_known_share:
        return ranking
    out_of_scope = ranking[0][1]
    if help_mass(ranking) <= out_of_scope or not any(label == NO_ANSWER for label, _ in ranking):
        return ranking
    no_answer = next(p for label, p in ranking if label == NO_ANSWER)
    rest = [(label, p) for label, p in ranking[1:] if label != NO_ANSWER]
    return [(NO_ANSWER, no_answer + out_of_scope)] + rest + [(OUT_OF_SCOPE, 0.0)]
