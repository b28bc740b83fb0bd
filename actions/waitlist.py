"""The waitlist question after offered slots that are too late (AUTRE to the end, or "plus tôt").

action_book_appointment hands over to `action_offer_waitlist` (a FollowupAction) when the
slot form ended on "liste"; OUI (intent affirm) joins the list, NON (deny) does not
(data/rules/waitlist.yml). The offers themselves go by SMS: bot/waitlist/.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import action_engine, action_settings, resident_of
from bot.booking.models import Appointment
from bot.booking.offer import known
from bot.booking.timeutil import as_utc
from bot.db import session_scope
from bot.places.lookup import find_places
from bot.texts import waitlist as texts
from bot.waitlist import service as waitlist


def first_shown_start(shown: list[str]) -> datetime | None:
    """The earliest start of the slots already shown ("<permanence>@<iso start>")."""
    starts = []
    for key in shown or []:
        try:
            starts.append(as_utc(datetime.fromisoformat(key.split("@", 1)[1])))
        except (IndexError, ValueError):
            continue
    return min(starts) if starts else None


class ActionOfferWaitlist(Action):
    def name(self) -> str:
        return "action_offer_waitlist"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        dispatcher.utter_message(
            text=texts.question_text(),
            buttons=[{"title": "Oui", "payload": "/affirm"}, {"title": "Non", "payload": "/deny"}],
        )
        return []


class ActionJoinWaitlist(Action):
    def name(self) -> str:
        return "action_join_waitlist"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        from actions.booking import triage_of

        settings = action_settings()
        now = datetime.now(timezone.utc)
        moving = tracker.get_slot("moving_appointment_id")
        with session_scope(action_engine()) as session:
            resident = resident_of(session, tracker)
            if not waitlist.can_join(resident, tracker.sender_id):
                dispatcher.utter_message(text=texts.declined_text())
                return [SlotSet("moving_appointment_id", None)]
            current = session.get(Appointment, int(moving)) if moving else None
            if current is not None:
                place_ids = [current.place_id]
                before = as_utc(current.start)
            else:
                place_ids = [p.id for p in find_places(session, known(tracker.get_slot("neighbourhood")) or "")]
                before = first_shown_start(tracker.get_slot("shown_slots")) or (
                    now + timedelta(days=settings.booking_horizon_days)
                )
            entry = waitlist.join(
                session,
                resident,
                place_ids=place_ids,
                thematique=tracker.get_slot("thematique"),
                kind=tracker.get_slot("booking_kind") or "individuel",
                before=before,
                days=settings.waitlist_days,
                current=current,
                route=tracker.get_slot("route"),
                triage=triage_of(tracker),
                now=now,
                hash_key=settings.hash_key,
            )
            until = waitlist.until_text(entry, settings.timezone)
        dispatcher.utter_message(text=texts.joined_text(until))
        return [SlotSet("moving_appointment_id", None), SlotSet("shown_slots", None)]


class ActionDeclineWaitlist(Action):
    def name(self) -> str:
        return "action_decline_waitlist"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        dispatcher.utter_message(text=texts.declined_text())
        return [SlotSet("moving_appointment_id", None)]
