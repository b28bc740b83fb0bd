"""The triage questions as the assistant asks them, for forms outside the conversation.

The desk's booking form for partners (bot/desk/views/prescriptions.py) shows the
assistant's own questions and choices, read from the domain (`utter_ask_<slot>` in
bot/domain/booking.yml), and reads a choice with the same parser the conversation
uses (bot/triage/answers.py): one definition of each question and of its answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

from bot.triage.answers import parse_accessibility, parse_materiel, parse_preferred_time, parse_yes_no
from bot.yaml_files import load_yaml

DOMAIN_FILE = Path(__file__).resolve().parents[1] / "domain" / "booking.yml"

# The closed questions of the triage, in the conversation's order, and how each answer is read.
PARSERS: dict[str, Callable[[str], str | None]] = {
    "materiel": parse_materiel,
    "has_email": parse_yes_no,
    "has_login": parse_yes_no,
    "preferred_time": parse_preferred_time,
    "accessibility": parse_accessibility,
}


@dataclass(frozen=True)
class Question:
    slot: str
    text: str
    choices: tuple[tuple[str, str], ...]  # (payload, title), as the buttons of the conversation


@lru_cache(maxsize=2)
def triage_questions(path: Path = DOMAIN_FILE) -> tuple[Question, ...]:
    responses = (load_yaml(path.read_text(encoding="utf-8")) or {}).get("responses") or {}
    questions = []
    for slot in PARSERS:
        variant = (responses.get(f"utter_ask_{slot}") or [{}])[0]
        choices = tuple((str(b["payload"]), str(b["title"])) for b in variant.get("buttons") or [])
        questions.append(Question(slot, variant.get("text", slot), choices))
    return tuple(questions)


def read_choice(slot: str, payload: str) -> str | None:
    """The triage value of a choice (a button's payload) of `slot`'s question; None when not one of them."""
    question = next((q for q in triage_questions() if q.slot == slot), None)
    if question is None or payload not in {p for p, _title in question.choices}:
        return None
    return PARSERS[slot](payload)
