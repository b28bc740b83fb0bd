"""Booking after the triage: offer slots, book the chosen one, confirm, make the ticket.

Also, by SMS alone: "c'est quand mon rendez-vous ?", ANNULER, and moving an
appointment to a new slot.
"""

from __future__ import annotations

from datetime import datetime, timezone

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import action_engine, action_settings, bot_answers, resident_of
from actions.triage import wants_to_stop
from bot import handoff
from bot.booking.models import Appointment
from bot.booking.offer import Offer, known, offer_slots, slot_from_dict
from bot.booking.slots import BookingWindow
from bot.booking.timeutil import as_utc
from bot.db import session_scope
from bot.handoff.transcript import transcript
from bot.places.models import Permanence, Place
from bot.privacy.redaction import redact
from bot.sms.outbound import SmsConfig
from bot.texts import booking as texts
from bot.texts import waitlist as waitlist_texts
from bot.tickets.models import CancelledBy
from bot.triage.answers import CALLBACK, parse_slot_choice
from bot.triage.routing import choose_route, orientation_of
from bot.waitlist.service import can_join as can_join_waitlist
from bot.waitlist.service import wants_earlier

WAITLIST_CHOICE = "liste"  # the slots are too late: the waitlist question comes next (actions/waitlist.py)

TRIAGE_SLOTS = ("materiel", "has_email", "has_login", "neighbourhood", "preferred_time", "accessibility")


def triage_of(tracker: Tracker) -> dict:
    triage = {name: tracker.get_slot(name) for name in TRIAGE_SLOTS}
    triage["thematique"] = tracker.get_slot("thematique")
    triage["besoin"] = redact(tracker.get_slot("besoin") or "")
    return triage


def compute_offer(tracker: Tracker, exclude: list[str]) -> Offer:
    route_kind = tracker.get_slot("booking_kind") or "individuel"
    with session_scope(action_engine()) as session:
        return offer_slots(
            session,
            thematique=tracker.get_slot("thematique"),
            neighbourhood=tracker.get_slot("neighbourhood"),
            preferred=tracker.get_slot("preferred_time"),
            kind=route_kind,
            exclude=exclude,
            window=BookingWindow.of(action_settings()),
        )


def offer_events(offer: Offer, previous: list | None = None) -> list:
    shown = [s.key() for s in offer.slots] + [k for k in (previous or [])]
    return [
        SlotSet("offered_slots", [s.as_dict() for s in offer.slots]),
        SlotSet("shown_slots", shown),
        SlotSet("slots_available", bool(offer.slots)),
    ]


class ActionRouteAndOfferSlots(Action):
    """After the triage: say the route, then find the slots to offer."""

    def name(self) -> str:
        return "action_route_and_offer_slots"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        if tracker.get_slot("triage_stopped"):
            dispatcher.utter_message(response="utter_booking_stopped")
            return [SlotSet("slots_available", False)]
        route = choose_route(triage_of(tracker), action_settings().routes_file)
        if route.message:
            dispatcher.utter_message(text=route.message)
        events = [SlotSet("route", route.route), SlotSet("booking_kind", route.book or "individuel")]
        tracker.slots["booking_kind"] = route.book or "individuel"
        offer = compute_offer(tracker, [])
        if not offer.slots and route.book == "atelier":
            tracker.slots["booking_kind"] = "individuel"
            events.append(SlotSet("booking_kind", "individuel"))
            offer = compute_offer(tracker, [])
        if not offer.slots:
            dispatcher.utter_message(response="utter_no_slot")
            with session_scope(action_engine()) as session:
                handoff.open_ticket(session, resident_of(session, tracker), handoff_request(tracker, route.route))
        return events + offer_events(offer)


class ActionAskSlotChoice(Action):
    """The slot question: the numbered list of offered slots."""

    def name(self) -> str:
        return "action_ask_slot_choice"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        offered = tracker.get_slot("offered_slots") or []
        lines, buttons, permanences = [], [], []
        with session_scope(action_engine()) as session:
            for number, data in enumerate(offered, start=1):
                slot = slot_from_dict(session, data)
                permanence = session.get(Permanence, slot.permanence_id)
                permanences.append(permanence)
                line = texts.slot_line(number, slot, session.get(Place, slot.place_id), permanence)
                lines.append(line)
                buttons.append({"title": line.split(". ", 1)[1], "payload": str(number)})
            # One workshop offered (its sessions): say which, how long, in a group.
            workshop = permanences[0] if permanences and all(p.id == permanences[0].id for p in permanences) else None
            text = texts.offer_text(lines, workshop)
        buttons.append({"title": texts.other_times_button(), "payload": "autre"})
        buttons.append({"title": texts.callback_button(), "payload": "rappel"})
        dispatcher.utter_message(text=text, buttons=buttons)
        return []


class ValidateSlotChoiceForm(FormValidationAction):
    def name(self) -> str:
        return "validate_slot_choice_form"

    async def validate_slot_choice(self, value, dispatcher, tracker, domain) -> dict:
        if value is None:
            return {"slot_choice": None}
        offered = tracker.get_slot("offered_slots") or []
        if wants_to_stop(value or ""):
            dispatcher.utter_message(response="utter_booking_stopped")
            return {"slot_choice": "stop"}
        if wants_earlier(value or ""):  # "plus tôt": the waitlist, when its SMS can reach the person
            if self._waitlist_possible(tracker):
                return {"slot_choice": WAITLIST_CHOICE}
            return self._new_offer(dispatcher, tracker, "Voici d'autres horaires.")
        choice = parse_slot_choice(value or "", len(offered))
        if choice is None:
            dispatcher.utter_message(text=texts.slot_not_understood_text())
            return {"slot_choice": None}
        if choice == CALLBACK:
            return self._callback(dispatcher, tracker)
        if choice == "autre":
            return self._new_offer(dispatcher, tracker, texts.other_times_text())
        moving_id = tracker.get_slot("moving_appointment_id")
        limit = action_settings().booking_max_future_appointments
        with session_scope(action_engine()) as session:
            resident = resident_of(session, tracker)
            slot = slot_from_dict(session, offered[choice - 1])
            try:
                if moving_id:
                    appointment = handoff.move(
                        session,
                        session.get(Appointment, int(moving_id)),
                        slot,
                        by=CancelledBy.RESIDENT,
                        actor=handoff.RESIDENT,
                        limit=limit,
                    )
                else:
                    appointment = handoff.book(session, resident, slot, limit=limit)
            except handoff.AlreadyBooked:
                session.rollback()
                return self._new_offer(dispatcher, tracker, texts.already_in_workshop_text())
            except handoff.SlotTaken:
                session.rollback()
                return self._new_offer(dispatcher, tracker, texts.slot_taken_text())
            except handoff.TooManyAppointments as error:
                dispatcher.utter_message(text=texts.already_booked_text(error.args[0]))
                return {"slot_choice": "refuse"}
            return {"slot_choice": f"rdv:{appointment.id}"}

    def _callback(self, dispatcher, tracker) -> dict:
        """The person prefers a call: a ticket without an appointment, for a conseiller to call back."""
        with session_scope(action_engine()) as session:
            if not resident_of(session, tracker).phone_e164:
                dispatcher.utter_message(response="utter_callback_needs_number")
                return {"slot_choice": None}
            handoff.open_ticket(session, resident_of(session, tracker), handoff_request(tracker, CALLBACK))
        dispatcher.utter_message(response="utter_callback_noted")
        return {"slot_choice": CALLBACK}

    @staticmethod
    def _waitlist_possible(tracker) -> bool:
        with session_scope(action_engine()) as session:
            return can_join_waitlist(resident_of(session, tracker), tracker.sender_id)

    def _new_offer(self, dispatcher, tracker, text: str) -> dict:
        shown = tracker.get_slot("shown_slots") or []
        offer = compute_offer(tracker, shown)
        if not offer.slots and shown and self._waitlist_possible(tracker):  # AUTRE at the end of the offers
            dispatcher.utter_message(text=waitlist_texts.no_other_slot_text())
            return {"slot_choice": WAITLIST_CHOICE, "offered_slots": [], "slots_available": False}
        if not offer.slots:
            dispatcher.utter_message(response="utter_no_slot")
            return {"slot_choice": "aucun", "offered_slots": [], "slots_available": False}
        dispatcher.utter_message(text=text)
        return {
            "slot_choice": None,
            "offered_slots": [s.as_dict() for s in offer.slots],
            "shown_slots": shown + [s.key() for s in offer.slots],
        }


def handoff_request(tracker: Tracker, route: str | None) -> handoff.HandoffRequest:
    """What the conversation hands over to the conseiller, read from the tracker."""
    triage = triage_of(tracker)
    return handoff.HandoffRequest(
        triage=triage,
        thematique=triage.get("thematique"),
        route=route,
        orientation=orientation_of(route, action_settings().routes_file),
        first_name=known(tracker.get_slot("first_name")),
        bot_answers=bot_answers(tracker),
        transcript=transcript(tracker.events),
    )


class ActionBookAppointment(Action):
    """The slot is booked: make the ticket and send the confirmation SMS."""

    def name(self) -> str:
        return "action_book_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        choice = tracker.get_slot("slot_choice") or ""
        reset = [SlotSet("slot_choice", None), SlotSet("offered_slots", None), SlotSet("moving_appointment_id", None)]
        if choice == WAITLIST_CHOICE:  # the moving appointment stays known to the waitlist's join
            return [
                SlotSet("slot_choice", None),
                SlotSet("offered_slots", None),
                FollowupAction("action_offer_waitlist"),
            ]
        if not choice.startswith("rdv:"):
            return reset
        moving = tracker.get_slot("moving_appointment_id")
        with session_scope(action_engine()) as session:
            appointment = session.get(Appointment, int(choice.split(":", 1)[1]))
            request = None if moving else handoff_request(tracker, tracker.get_slot("route"))
            confirmation = handoff.confirm_booking(
                session,
                appointment,
                resident_of(session, tracker),
                request,
                materiel=known(tracker.get_slot("materiel")),
                has_login=tracker.get_slot("has_login"),
                has_email=tracker.get_slot("has_email"),
                sms=SmsConfig.of(action_settings()),
            )
        voice = tracker.get_latest_input_channel() == "twilio_voice"
        if confirmation.show_in_conversation or voice:
            dispatcher.utter_message(text=confirmation.text)
        if voice:  # on the phone: said twice (bot/voice), and kept by SMS when one was sent
            dispatcher.utter_message(text=confirmation.text)
            if confirmation.sms_sent:
                dispatcher.utter_message(text=texts.also_by_sms_text())
        return reset


class ActionCheckAppointment(Action):
    def name(self) -> str:
        return "action_check_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        with session_scope(action_engine()) as session:
            appointments = handoff.upcoming_for_resident(session, resident_of(session, tracker).id)
            if not appointments:
                dispatcher.utter_message(response="utter_no_appointment")
                return []
            lines = [texts.appointment_line(session.get(Place, a.place_id), a.start) for a in appointments]
        dispatcher.utter_message(text=texts.appointments_text(lines))
        return []


class ActionCancelAppointment(Action):
    """ANNULER: cancels the next appointment, up to its start; the slot is free at once."""

    def name(self) -> str:
        return "action_cancel_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        with session_scope(action_engine()) as session:
            now = datetime.now(timezone.utc)
            appointments = [
                a
                for a in handoff.upcoming_for_resident(session, resident_of(session, tracker).id, now)
                if as_utc(a.start) > now
            ]
            if not appointments:
                dispatcher.utter_message(response="utter_no_appointment")
                return []
            handoff.cancel(
                session,
                appointments[0],
                by=CancelledBy.RESIDENT,
                actor=handoff.RESIDENT,
                reason="sms" if tracker.sender_id.startswith("sms:") else "web",
            )
        dispatcher.utter_message(text=texts.cancellation_text())
        return []


class ActionMoveAppointment(Action):
    """Moving: offer new slots; the choice moves the appointment (validate_slot_choice_form)."""

    def name(self) -> str:
        return "action_move_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        with session_scope(action_engine()) as session:
            appointments = handoff.upcoming_for_resident(session, resident_of(session, tracker).id)
            if not appointments:
                dispatcher.utter_message(response="utter_no_appointment")
                return [SlotSet("slots_available", False)]
            appointment = appointments[0]
            ticket = handoff.ticket_for_appointment(session, appointment.id)
            thematique = ticket.thematique if ticket else None
            offer = offer_slots(
                session,
                thematique=thematique,
                neighbourhood=None,
                preferred=None,
                kind=session.get(Permanence, appointment.permanence_id).kind,
                exclude=[f"{appointment.permanence_id}@{as_utc(appointment.start).isoformat()}"],
                window=BookingWindow.of(action_settings()),
            )
        if not offer.slots:
            dispatcher.utter_message(response="utter_no_slot")
        return [
            SlotSet("moving_appointment_id", float(appointment.id)),
            SlotSet("thematique", thematique),
            *offer_events(offer),
        ]
