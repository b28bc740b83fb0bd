"""When to ask "Cette réponse vous aide ?" (the texts: bot/texts/feedback.py).

After an answer, at the rate FEEDBACK_RATE (0..1), drawn deterministically from the
conversation id and the turn (the same conversation and turn always draw the same, so a
test with rate 1.0 or 0.0 is exact and a replayed turn asks again); never after an urgent
answer (urgence/*: the offer of a conseiller comes at once), never after two answers in a
row, never during a booking or a form, never on the phone line (a caller would hear a
question for a screen).
"""

from __future__ import annotations

import hashlib

YES_PAYLOAD = "/feedback_yes"
NO_PAYLOAD = "/feedback_no"
PENDING_SLOT = "feedback_for"
ASKED_LAST_SLOT = "feedback_asked_last"


def draw(conversation_id: str, turn: int) -> float:
    """A number in [0, 1) fixed by the conversation and the turn."""
    digest = hashlib.sha256(f"{conversation_id}#{turn}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def should_ask(
    *,
    answer_key: str,
    conversation_id: str,
    turn: int,
    rate: float,
    asked_last: bool,
    in_form: bool,
    channel: str | None = None,
) -> bool:
    if rate <= 0 or answer_key.startswith("urgence") or asked_last or in_form:
        return False
    if channel == "twilio_voice":
        return False
    return rate >= 1 or draw(conversation_id, turn) < rate


def buttons(yes_title: str, no_title: str) -> list[dict]:
    return [{"title": yes_title, "payload": YES_PAYLOAD}, {"title": no_title, "payload": NO_PAYLOAD}]
