"""The fallback action counts the consecutive messages it did not understand."""

from __future__ import annotations

from actions.fallback import consecutive_fallbacks


def user(intent: str) -> dict:
    return {"event": "user", "parse_data": {"intent": {"name": intent}}}


def test_counts_only_the_latest_run_of_fallbacks():
    events = [user("nlu_fallback"), user("greet"), {"event": "bot"}, user("nlu_fallback")]
    assert consecutive_fallbacks(events) == 1
    events.append({"event": "action", "name": "action_fallback"})
    events.append(user("nlu_fallback"))
    assert consecutive_fallbacks(events) == 2
    assert consecutive_fallbacks([user("greet")]) == 0
