"""Booking after the triage: offer slots, book the chosen one, confirm, make the ticket.

Also, by SMS alone: "c'est quand mon rendez-vous ?", ANNULER, and moving an
appointment to a new slot.
"""
from __future__ import annotations

from datetime import datetime, timezone

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import bot_answers, resident_of, user_messages
from actions.triage import wants_to_stop
from bot.booking.french import french_datetime
from bot.booking.messages import cancellation_text, confirmation_text, offer_text, slot_line
from bot.booking.models import Appointment
from bot.booking.offer import Offer, known, offer_slots, slot_from_dict
from bot.booking.timeutil import as_utc
from bot.booking.service import SlotTaken, TooManyAppointments, book, cancel, move, upcoming_for_resident
from bot.db import session_scope
from bot.places.models import Permanence, Place
from bot.privacy.redaction import redact
from bot.sms.outbound import send_sms
from bot.tickets.service import create_ticket, set_status, ticket_for_appointment
from bot.triage.answers import CALLBACK, parse_slot_choice
from bot.triage.routing import choose_route, estimate_autonomie

TRIAGE_SLOTS = ("materiel", "has_email", "has_login", "neighbourhood", "preferred_time", "accessibility")


def triage_of(tracker: Tracker) -> dict:
    triage = {name: tracker.get_slot(name) for name in TRIAGE_SLOTS}
    triage["thematique"] = tracker.get_slot("thematique")
    triage["besoin"] = redact(tracker.get_slot("besoin") or "")
    return triage


def compute_offer(tracker: Tracker, exclude: list[str]) -> Offer:
    route_kind = tracker.get_slot("booking_kind") or "individuel"
    with session_scope() as session:
        return offer_slots(
            session,
            thematique=tracker.get_slot("thematique"),
            neighbourhood=tracker.get_slot("neighbourhood"),
            preferred=tracker.get_slot("preferred_time"),
            kind=route_kind,
            exclude=exclude,
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
        route = choose_route(triage_of(tracker))
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
            with session_scope() as session:
                make_ticket(session, tracker, route.route, appointment=None)
        return events + offer_events(offer)


class ActionAskSlotChoice(Action):
    """The slot question: the numbered list of offered slots."""

    def name(self) -> str:
        return "action_ask_slot_choice"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        offered = tracker.get_slot("offered_slots") or []
        lines, buttons = [], []
        with session_scope() as session:
            for number, data in enumerate(offered, start=1):
                slot = slot_from_dict(session, data)
                place = session.get(Place, slot.place_id)
                line = slot_line(number, slot, place)
                lines.append(line)
                buttons.append({"title": line.split(". ", 1)[1], "payload": str(number)})
        buttons.append({"title": "Autres horaires", "payload": "autre"})
        buttons.append({"title": "Être rappelé", "payload": "rappel"})
        dispatcher.utter_message(text=offer_text(lines), buttons=buttons)
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
        choice = parse_slot_choice(value or "", len(offered))
        if choice is None:
            dispatcher.utter_message(text="Je n'ai pas compris. Répondez 1, 2 ou 3, AUTRE ou RAPPEL.")
            return {"slot_choice": None}
        if choice == CALLBACK:
            return self._callback(dispatcher, tracker)
        if choice == "autre":
            return self._new_offer(dispatcher, tracker, "Voici d'autres horaires.")
        moving_id = tracker.get_slot("moving_appointment_id")
        with session_scope() as session:
            resident = resident_of(session, tracker)
            slot = slot_from_dict(session, offered[choice - 1])
            try:
                if moving_id:
                    appointment = move(session, session.get(Appointment, int(moving_id)), slot)
                    old_ticket = ticket_for_appointment(session, int(moving_id))
                    if old_ticket is not None:
                        old_ticket.appointment_id = appointment.id
                        set_status(session, old_ticket, "nouveau", "resident", {"moved_to": appointment.id})
                else:
                    appointment = book(session, resident, slot)
            except SlotTaken:
                session.rollback()
                return self._new_offer(dispatcher, tracker, "Ce créneau vient d'être pris. Voici d'autres horaires.")
            except TooManyAppointments as error:
                dispatcher.utter_message(
                    text=f"Vous avez déjà {error.args[0]} rendez-vous prévus. Écrivez ANNULER pour en annuler un."
                )
                return {"slot_choice": "refuse"}
            return {"slot_choice": f"rdv:{appointment.id}"}

    def _callback(self, dispatcher, tracker) -> dict:
        """The person prefers a call: a ticket without an appointment, for a conseiller to call back."""
        with session_scope() as session:
            if not resident_of(session, tracker).phone_e164:
                dispatcher.utter_message(response="utter_callback_needs_number")
                return {"slot_choice": None}
            make_ticket(session, tracker, CALLBACK, appointment=None)
        dispatcher.utter_message(response="utter_callback_noted")
        return {"slot_choice": CALLBACK}

    def _new_offer(self, dispatcher, tracker, text: str) -> dict:
        shown = tracker.get_slot("shown_slots") or []
        offer = compute_offer(tracker, shown)
        if not offer.slots:
            dispatcher.utter_message(response="utter_no_slot")
            return {"slot_choice": "aucun", "offered_slots": [], "slots_available": False}
        dispatcher.utter_message(text=text)
        return {
            "slot_choice": None,
            "offered_slots": [s.as_dict() for s in offer.slots],
            "shown_slots": shown + [s.key() for s in offer.slots],
        }


def make_ticket(session, tracker: Tracker, route: str | None, appointment: Appointment | None):
    triage = triage_of(tracker)
    resident = resident_of(session, tracker)
    first_name = known(tracker.get_slot("first_name"))
    if first_name:
        resident.first_name = first_name
    permanence = session.get(Permanence, appointment.permanence_id) if appointment else None
    place = session.get(Place, appointment.place_id) if appointment else None
    thematique = triage.get("thematique")
    report = {
        "thematiques": [thematique] if thematique else [],
        "materiel": known(triage.get("materiel")),
        "autonomie": estimate_autonomie(triage.get("has_email"), triage.get("has_login")),
        "type": "collectif" if permanence is not None and permanence.kind == "atelier" else "individuel",
        "lieu": place.nom if place else None,
        "duree": permanence.slot_minutes if permanence else None,
    }
    transcript = "\n".join(redact(text) for text in user_messages(tracker))
    return create_ticket(
        session, resident_id=resident.id, thematique=thematique, triage=triage,
        activity_report=report, bot_answers=bot_answers(tracker), transcript_excerpt=transcript,
        route=route, appointment_id=appointment.id if appointment else None,
        place_id=place.id if place else None,
    )


class ActionBookAppointment(Action):
    """The slot is booked: make the ticket and send the confirmation SMS."""

    def name(self) -> str:
        return "action_book_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        choice = tracker.get_slot("slot_choice") or ""
        reset = [SlotSet("slot_choice", None), SlotSet("offered_slots", None), SlotSet("moving_appointment_id", None)]
        if not choice.startswith("rdv:"):
            return reset
        moving = tracker.get_slot("moving_appointment_id")
        with session_scope() as session:
            appointment = session.get(Appointment, int(choice.split(":", 1)[1]))
            place = session.get(Place, appointment.place_id)
            ticket = ticket_for_appointment(session, appointment.id)
            if ticket is None and not moving:
                ticket = make_ticket(session, tracker, tracker.get_slot("route"), appointment)
            resident = resident_of(session, tracker)
            text = confirmation_text(place, appointment.start, tracker.get_slot("thematique"),
                                     tracker.get_slot("materiel"))
            sent = None
            if resident.phone_e164:
                sent = send_sms(session, to_e164=resident.phone_e164, body=text, purpose="confirmation",
                                ticket_id=ticket.id if ticket else None, appointment_id=appointment.id)
            voice = tracker.get_latest_input_channel() == "twilio_voice"
            if resident.channel != "sms" or sent is None or voice:
                dispatcher.utter_message(text=text)
            if voice:  # on the phone: said twice (bot/voice), and kept by SMS when one was sent
                dispatcher.utter_message(text=text)
                if sent is not None:
                    dispatcher.utter_message(text="Vous le recevez aussi par SMS.")
        return reset


class ActionCheckAppointment(Action):
    def name(self) -> str:
        return "action_check_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        with session_scope() as session:
            appointments = upcoming_for_resident(session, resident_of(session, tracker).id)
            if not appointments:
                dispatcher.utter_message(response="utter_no_appointment")
                return []
            lines = []
            for appointment in appointments:
                place = session.get(Place, appointment.place_id)
                lines.append(f"{french_datetime(appointment.start, place.timezone)}, {place.nom}, {place.adresse}")
        intro = "Votre rendez-vous :" if len(lines) == 1 else "Vos rendez-vous :"
        dispatcher.utter_message(text=intro + "\n" + "\n".join(lines) + "\nPour annuler, répondez ANNULER.")
        return []


class ActionCancelAppointment(Action):
    """ANNULER: cancels the next appointment, up to its start; the slot is free at once."""

    def name(self) -> str:
        return "action_cancel_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        with session_scope() as session:
            now = datetime.now(timezone.utc)
            appointments = [
                a for a in upcoming_for_resident(session, resident_of(session, tracker).id, now)
                if as_utc(a.start) > now
            ]
            if not appointments:
                dispatcher.utter_message(response="utter_no_appointment")
                return []
            appointment = appointments[0]
            cancel(session, appointment, actor="resident")
            ticket = ticket_for_appointment(session, appointment.id)
            if ticket is not None:
                set_status(session, ticket, "annule", "resident", {"by": "sms" if tracker.sender_id.startswith("sms:") else "web"})
        dispatcher.utter_message(text=cancellation_text())
        return []


class ActionMoveAppointment(Action):
    """Moving: offer new slots; the choice moves the appointment (validate_slot_choice_form)."""

    def name(self) -> str:
        return "action_move_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        with session_scope() as session:
            appointments = upcoming_for_resident(session, resident_of(session, tracker).id)
            if not appointments:
                dispatcher.utter_message(response="utter_no_appointment")
                return [SlotSet("slots_available", False)]
            appointment = appointments[0]
            ticket = ticket_for_appointment(session, appointment.id)
            thematique = ticket.thematique if ticket else None
            offer = offer_slots(session, thematique=thematique, neighbourhood=None, preferred=None,
                                exclude=[f"{appointment.permanence_id}@{as_utc(appointment.start).isoformat()}"])
        if not offer.slots:
            dispatcher.utter_message(response="utter_no_slot")
        return [SlotSet("moving_appointment_id", float(appointment.id)), SlotSet("thematique", thematique),
                *offer_events(offer)]
