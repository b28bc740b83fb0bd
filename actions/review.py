"""Learning from residents, on the action server's side: "Cette réponse vous aide ?",
the weekly counters and the review inbox's captures (bot/review/).

The settings (FEEDBACK_RATE, REVIEW_MARGIN) are read here, at the action server's entry
point; bot/review/ takes them as arguments. A failure to record (the database away) is
logged and never costs the resident their answer.
"""

from __future__ import annotations

import logging

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import action_engine, action_settings
from bot.db import session_scope
from bot.nlu.decision import Decision, decide
from bot.review import feedback
from bot.review.capture import capture, latest_message_context, margin_of, previous_question
from bot.review.counters import count_feedback, count_outcome
from bot.review.models import ReviewReason, TurnOutcome
from bot.texts import feedback as feedback_texts

log = logging.getLogger(__name__)


def _safely(what: str, fn) -> None:
    try:
        with session_scope(action_engine()) as session:
            fn(session)
    except Exception:  # noqa: BLE001  (recording must never cost a turn)
        log.exception("review: could not record %s", what)


def _turn(tracker: Tracker) -> int:
    return sum(1 for event in tracker.events if event.get("event") == "user")


def _candidates(decision: Decision) -> list[dict]:
    return decision.as_dict()["candidates"]


def record_outcome(outcome: TurnOutcome) -> None:
    _safely("an outcome", lambda session: count_outcome(session, outcome))


def capture_latest(
    tracker: Tracker, reason: ReviewReason, decision: Decision | None = None, answered_with: str | None = None
) -> None:
    """The message just received, for the inbox."""
    decision = decision or decide(tracker.latest_message)
    _safely(
        reason,
        lambda session: capture(
            session,
            conversation_id=tracker.sender_id,
            reason=reason,
            text=tracker.latest_message.get("text") or "",
            context=latest_message_context(tracker.events),
            candidates=_candidates(decision),
            answered_with=answered_with,
            channel=tracker.get_latest_input_channel(),
        ),
    )


def capture_previous_question(tracker: Tracker, reason: ReviewReason, answered_with: str | None = None) -> None:
    """The help question before this "Non" / "autre chose", for the inbox."""
    found = previous_question(tracker.events)
    if found is None:
        return
    event, context = found
    decision = decide(event.get("parse_data") or {})
    _safely(
        reason,
        lambda session: capture(
            session,
            conversation_id=tracker.sender_id,
            reason=reason,
            text=event.get("text") or "",
            context=context,
            candidates=_candidates(decision),
            answered_with=answered_with,
            channel=event.get("input_channel"),
        ),
    )


def after_answer(dispatcher: CollectingDispatcher, tracker: Tracker, key: str, decision: Decision | None) -> list:
    """After an answer was given: a small margin goes to the inbox; maybe ask "Cette réponse vous aide ?"."""
    settings = action_settings()
    if decision is not None:
        margin = margin_of(_candidates(decision))
        if margin is not None and margin < settings.review_margin:
            capture_latest(tracker, ReviewReason.SMALL_MARGIN, decision, answered_with=key)
    ask = feedback.should_ask(
        answer_key=key,
        conversation_id=tracker.sender_id,
        turn=_turn(tracker),
        rate=settings.feedback_rate,
        asked_last=bool(tracker.get_slot(feedback.ASKED_LAST_SLOT)),
        in_form=bool((tracker.active_loop or {}).get("name")),
        channel=tracker.get_latest_input_channel(),
    )
    if not ask:
        return [SlotSet(feedback.PENDING_SLOT, None), SlotSet(feedback.ASKED_LAST_SLOT, False)]
    dispatcher.utter_message(
        text=feedback_texts.question(), buttons=feedback.buttons(feedback_texts.YES_TITLE, feedback_texts.NO_TITLE)
    )
    _safely("a feedback question", lambda session: count_feedback(session, key, "asked"))
    return [SlotSet(feedback.PENDING_SLOT, key), SlotSet(feedback.ASKED_LAST_SLOT, True)]


def pending_feedback(tracker: Tracker) -> str | None:
    return tracker.get_slot(feedback.PENDING_SLOT) or None


def feedback_yes(dispatcher: CollectingDispatcher, tracker: Tracker) -> list:
    key = pending_feedback(tracker)
    if key is None:
        dispatcher.utter_message(response="utter_answer_ok")
        return []
    _safely("a yes", lambda session: count_feedback(session, key, "yes"))
    dispatcher.utter_message(text=feedback_texts.thanks())
    return [SlotSet(feedback.PENDING_SLOT, None), SlotSet("answer_candidates", [])]


def feedback_no(tracker: Tracker) -> list:
    """Count the "Non" and send the question to the inbox; the caller then offers the next candidates."""
    key = pending_feedback(tracker)
    if key is None:
        return []
    _safely("a no", lambda session: count_feedback(session, key, "no"))
    capture_previous_question(tracker, ReviewReason.FEEDBACK_NO, answered_with=key)
    return [SlotSet(feedback.PENDING_SLOT, None)]
