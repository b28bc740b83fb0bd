"""The last choice of a clarifying question (actions/answers.py; the question itself is the domain's)."""

from __future__ import annotations


def other_choice_title() -> str:
    """The button after the candidate answers; by SMS it becomes the last numbered line."""
    return "Autre chose"


EXAMPLES = {"other_choice": other_choice_title}
