"""The booking actions run in-process on a hand-made tracker (no Rasa server): booking,
moving by SMS to another place (the ticket follows), a workshop offered and confirmed as
a workshop near the resident, and every write made by the handoff core."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.booking import (
    ActionAskSlotChoice,
    ActionBookAppointment,
    ActionMoveAppointment,
    ActionRouteAndOfferSlots,
    ValidateSlotChoiceForm,
)
from bot.booking.models import Appointment, AppointmentStatus
from bot.booking.slots import next_slots
from bot.db import session_scope
from bot.places.models import Permanence, Place
from bot.residents import resident_for_phone
from bot.sms.models import OutboundMessage
from bot.tickets.models import Ticket, TicketEvent, TicketStatus
from tests.booking.helpers import WINDOW
from tests.handoff.conftest import run, texts, tracker
from tests.support.live_bot import TEST_SECRETS

HASH_KEY = TEST_SECRETS["HASH_KEY"]

PHONE = "+33612345001"


def place_of(session, slug: str) -> Place:
    return session.execute(select(Place).where(Place.slug == slug)).scalar_one()


def individual_slot(session, slug: str, exclude=()):
    place = place_of(session, slug)
    return next_slots(session, place_ids=[place.id], kind="individuel", limit=1, exclude=tuple(exclude), window=WINDOW)[
        0
    ]


def choose(sender: str, offered: list[dict], slots: dict | None = None) -> tuple[dict, CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    form = ValidateSlotChoiceForm()
    result = run(
        form.validate_slot_choice("1", dispatcher, tracker(sender, {"offered_slots": offered, **(slots or {})}), {})
    )
    return result, dispatcher


def book_by_sms(engine, sender: str, slot_dict: dict, triage: dict | None = None) -> int:
    result, _ = choose(sender, [slot_dict])
    assert result["slot_choice"].startswith("rdv:"), result
    dispatcher = CollectingDispatcher()
    slots = {
        "slot_choice": result["slot_choice"],
        "thematique": "email",
        "route": "rendez_vous",
        "materiel": "telephone",
        "has_email": "oui",
        "has_login": "non",
        **(triage or {}),
    }
    run(ActionBookAppointment().run(dispatcher, tracker(sender, slots), {}))
    return int(result["slot_choice"].split(":")[1])


def test_moving_by_sms_to_another_place_takes_the_ticket_and_its_report_there(city_db, write_guard):
    with session_scope(city_db) as s:
        sender = resident_for_phone(s, PHONE, HASH_KEY).conversation_id
        borny, verlaine = place_of(s, "mairie-borny"), place_of(s, "mediatheque-verlaine")
        first = individual_slot(s, "mairie-borny").as_dict()
        second = individual_slot(s, "mediatheque-verlaine").as_dict()
    appointment_id = book_by_sms(city_db, sender, first)
    with session_scope(city_db) as s:
        ticket = s.execute(select(Ticket).where(Ticket.appointment_id == appointment_id)).scalar_one()
        assert ticket.place_id == borny.id and ticket.activity_report["lieu"] == borny.nom
        ticket_id = ticket.id

    # "changer mon rendez-vous": the action remembers which one, the choice moves it.
    dispatcher = CollectingDispatcher()
    events = run(ActionMoveAppointment().run(dispatcher, tracker(sender), {}))
    moving = next(e["value"] for e in events if e["name"] == "moving_appointment_id")
    result, _ = choose(sender, [second], {"moving_appointment_id": moving})
    assert result["slot_choice"].startswith("rdv:")
    run(
        ActionBookAppointment().run(
            CollectingDispatcher(),
            tracker(sender, {"slot_choice": result["slot_choice"], "moving_appointment_id": moving}),
            {},
        )
    )

    with session_scope(city_db) as s:
        ticket = s.get(Ticket, ticket_id)
        new = s.get(Appointment, ticket.appointment_id)
        assert new.place_id == verlaine.id and new.id != appointment_id
        assert ticket.place_id == verlaine.id  # the new place's conseiller sees it (bot/desk/scope.py)
        assert ticket.activity_report["lieu"] == verlaine.nom
        assert ticket.status == TicketStatus.NOUVEAU
        assert s.get(Appointment, appointment_id).status == AppointmentStatus.EXCUSED
        history = (
            s.execute(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id).order_by(TicketEvent.id))
            .scalars()
            .all()
        )
        moved = [e for e in history if e.kind == "moved"]
        assert len(moved) == 1 and moved[0].actor == "resident"
        assert moved[0].detail["from"] == appointment_id and moved[0].detail["to"] == new.id
        assert moved[0].detail["place_id"] == verlaine.id
        # One ticket for the request, and the second confirmation texted for it.
        assert s.execute(select(Ticket)).scalars().all() == [ticket]
        bodies = s.execute(select(OutboundMessage.body).where(OutboundMessage.ticket_id == ticket_id)).scalars().all()
        assert len(bodies) == 2 and "Verlaine" in bodies[1]
    assert write_guard.writes and write_guard.outside == []


def test_an_sms_resident_gets_the_confirmation_by_sms_and_a_web_one_in_the_conversation_too(city_db):
    with session_scope(city_db) as s:
        sender = resident_for_phone(s, PHONE, HASH_KEY).conversation_id
        slot = individual_slot(s, "mairie-borny").as_dict()
    result, _ = choose(sender, [slot])
    dispatcher = CollectingDispatcher()
    run(ActionBookAppointment().run(dispatcher, tracker(sender, {"slot_choice": result["slot_choice"]}), {}))
    assert dispatcher.messages == []  # the SMS carries it
    web = "web:" + "0" * 32
    with session_scope(city_db) as s:
        other = individual_slot(s, "mairie-borny", exclude=[f"{slot['permanence_id']}@{slot['start']}"]).as_dict()
    result, _ = choose(web, [other])
    dispatcher = CollectingDispatcher()
    run(ActionBookAppointment().run(dispatcher, tracker(web, {"slot_choice": result["slot_choice"]}), {}))
    assert "Rendez-vous confirmé" in texts(dispatcher)


def workshop_triage(neighbourhood: str) -> dict:
    # An autonomous person asking about their phone: data/routes/metz.yml routes this to a workshop.
    return {
        "thematique": "prendre_en_main_du_materiel",
        "materiel": "telephone",
        "has_email": "oui",
        "has_login": "oui",
        "neighbourhood": neighbourhood,
        "preferred_time": "passer",
        "accessibility": "passer",
    }


def test_a_workshop_is_offered_and_confirmed_as_a_workshop(city_db, write_guard):
    sender = "web:" + "1" * 32
    dispatcher = CollectingDispatcher()
    events = run(ActionRouteAndOfferSlots().run(dispatcher, tracker(sender, workshop_triage("Pontiffroy")), {}))
    slots = {e["name"]: e["value"] for e in events}
    assert slots["booking_kind"] == "atelier" and slots["offered_slots"]
    with session_scope(city_db) as s:
        workshop = s.execute(select(Permanence).where(Permanence.slug == "verlaine-atelier")).scalar_one()
        assert {o["permanence_id"] for o in slots["offered_slots"]} == {workshop.id}

    asked = CollectingDispatcher()
    run(ActionAskSlotChoice().run(asked, tracker(sender, {"offered_slots": slots["offered_slots"]}), {}))
    offer = texts(asked)
    assert "Atelier collectif « bien utiliser son smartphone », 1 h 30, en groupe" in offer
    assert "1." in offer and "en groupe" in asked.messages[0]["buttons"][0]["title"]

    result, _ = choose(sender, slots["offered_slots"][:1])
    confirmed = CollectingDispatcher()
    run(
        ActionBookAppointment().run(
            confirmed,
            tracker(
                sender, {"slot_choice": result["slot_choice"], "route": slots["route"], **workshop_triage("Pontiffroy")}
            ),
            {},
        )
    )
    text = texts(confirmed)
    assert text.startswith("Atelier collectif « bien utiliser son smartphone », 1 h 30, en groupe : place réservée : ")
    assert "Médiathèque Verlaine" in text and "ANNULER" in text
    with session_scope(city_db) as s:
        ticket = s.execute(select(Ticket)).scalar_one()
        assert ticket.activity_report["type"] == "collectif" and ticket.activity_report["duree"] == 90
    assert write_guard.outside == []


def test_a_workshop_across_the_city_is_not_offered_in_place_of_an_appointment_near_the_resident(city_db):
    """The only workshop is at Verlaine (Pontiffroy): a resident of Borny gets an appointment in Borny."""
    dispatcher = CollectingDispatcher()
    events = run(ActionRouteAndOfferSlots().run(dispatcher, tracker("web:" + "2" * 32, workshop_triage("Borny")), {}))
    slots = {e["name"]: e["value"] for e in events}
    assert slots["booking_kind"] == "individuel"
    with session_scope(city_db) as s:
        places = {s.get(Permanence, o["permanence_id"]).place_id for o in slots["offered_slots"]}
        kinds = {s.get(Permanence, o["permanence_id"]).kind for o in slots["offered_slots"]}
        assert kinds == {"individuel"}
        names = {s.get(Place, p).nom for p in places}
    assert names and all("Borny" in name for name in names), names
