"""Where and when: the places where conseillers receive, and their hours, from the database."""

from __future__ import annotations

import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.context import action_engine
from bot.answers.places import places_hours_answer
from bot.db import session_scope

log = logging.getLogger(__name__)


class ActionPlacesHours(Action):
    """Names the place the message points to (quarter, postcode), else lists the places."""

    def name(self) -> str:
        return "action_places_hours"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        text = tracker.latest_message.get("text") or ""
        try:
            with session_scope(action_engine()) as session:
                answer = places_hours_answer(session, text)
        except Exception:  # the database is down: a kind general answer, never silence
            log.exception("places lookup failed")
            answer = None
        if answer:
            dispatcher.utter_message(text=answer)
        else:
            dispatcher.utter_message(response="utter_places_hours_general")
        return []
