"""What to say when the NLU is not confident: the clarifying question when it found two or
three close answers (actions/answers.py), else rephrase once, then offer a conseiller."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

FALLBACK_INTENT = "nlu_fallback"


def consecutive_fallbacks(events: list[dict[str, Any]]) -> int:
    """How many of the latest user messages in a row were not understood."""
    count = 0
    for event in reversed(events):
        if event.get("event") != "user":
            continue
        intent = (event.get("parse_data") or {}).get("intent") or {}
        if intent.get("name") != FALLBACK_INTENT:
            break
        count += 1
    return count


class ActionFallback(Action):
    def name(self) -> str:
        return "action_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        from actions import review
        from actions.answers import clarify_if_close, typed_choice
        from bot.review.models import ReviewReason, TurnOutcome

        asked = typed_choice(dispatcher, tracker)
        if asked is not None:
            return asked
        review.capture_latest(tracker, ReviewReason.FALLBACK)
        asked = clarify_if_close(dispatcher, tracker.latest_message)
        if asked is not None:
            review.record_outcome(TurnOutcome.CLARIFY)
            return asked
        review.record_outcome(TurnOutcome.FALLBACK)
        if consecutive_fallbacks(tracker.events) >= 2:
            dispatcher.utter_message(response="utter_offer_human_after_fallback")
        else:
            dispatcher.utter_message(response="utter_ask_rephrase")
        return []
