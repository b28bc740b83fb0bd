"""The waitlist actions in-process (no Rasa server): "plus tôt" during the slot question leads to
the waitlist question by SMS, not in the widget without a number; OUI while moving puts the
appointment being moved on the list (its place, its start, its date as the end); only the handoff
core writes appointments when the seat is taken."""

from __future__ import annotations

from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.booking import (
    ActionBookAppointment,
    ActionCancelAppointment,
    ActionMoveAppointment,
    ValidateSlotChoiceForm,
)
from actions.waitlist import ActionDeclineWaitlist, ActionJoinWaitlist, ActionOfferWaitlist
from bot.booking.models import Appointment
from bot.booking.timeutil import as_utc
from bot.db import session_scope
from bot.reminders import parse_hhmm
from bot.residents import resident_for_conversation, resident_for_phone
from bot.settings import get_settings
from bot.sms.outbound import SmsConfig
from bot.texts import waitlist as texts
from bot.waitlist import service
from bot.waitlist.models import EntryStatus, WaitlistEntry
from bot.waitlist.replies import answer_sms
from tests.booking.helpers import ROUTES, WINDOW
from tests.handoff.conftest import run, tracker
from tests.handoff.conftest import texts as said
from tests.handoff.test_actions_in_process import book_by_sms, individual_slot
from tests.support.live_bot import TEST_SECRETS

HASH_KEY = TEST_SECRETS["HASH_KEY"]

PHONE = "+33612345077"


def validate(sender: str, text: str, slots: dict) -> tuple[dict, CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    result = run(ValidateSlotChoiceForm().validate_slot_choice(text, dispatcher, tracker(sender, slots), {}))
    return result, dispatcher


def test_plus_tot_by_sms_asks_the_waitlist_question_the_widget_without_number_gets_other_slots(city_db):
    with session_scope(city_db) as s:
        sms_sender = resident_for_phone(s, PHONE, HASH_KEY).conversation_id
        offered = [individual_slot(s, "mairie-borny").as_dict()]
        resident_for_conversation(s, "web:0000")
    shown = {"offered_slots": offered, "shown_slots": [f"{offered[0]['permanence_id']}@{offered[0]['start']}"]}
    result, _ = validate(sms_sender, "plus tôt ?", shown)
    assert result == {"slot_choice": "liste"}
    events = run(ActionBookAppointment().run(CollectingDispatcher(), tracker(sms_sender, {"slot_choice": "liste"}), {}))
    assert FollowupAction("action_offer_waitlist") in events
    dispatcher = CollectingDispatcher()
    run(ActionOfferWaitlist().run(dispatcher, tracker(sms_sender), {}))
    assert said(dispatcher) == texts.question_text()
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/affirm", "/deny"]

    result, dispatcher = validate("web:0000", "plus tôt", shown)
    assert result["slot_choice"] is None and "d'autres horaires" in said(dispatcher)  # no number: no waitlist


def test_yes_while_moving_lists_the_appointment_and_oui_later_moves_it(city_db, write_guard):
    with session_scope(city_db) as s:
        other = resident_for_phone(s, "+33612345078", HASH_KEY).conversation_id
        sender = resident_for_phone(s, PHONE, HASH_KEY).conversation_id
        earliest = individual_slot(s, "mairie-borny")
        second = individual_slot(s, "mairie-borny", exclude=[earliest.key()])
    other_id = book_by_sms(city_db, other, earliest.as_dict())
    appointment_id = book_by_sms(city_db, sender, second.as_dict())
    events = run(ActionMoveAppointment().run(CollectingDispatcher(), tracker(sender), {}))
    moving = next(e["value"] for e in events if e["name"] == "moving_appointment_id")
    dispatcher = CollectingDispatcher()
    events = run(
        ActionJoinWaitlist().run(
            dispatcher, tracker(sender, {"moving_appointment_id": moving, "thematique": "email"}), {}
        )
    )
    assert (
        "C'est noté" in said(dispatcher)
        and {"event": "slot", "timestamp": None, "name": "moving_appointment_id", "value": None} in events
    )
    with session_scope(city_db) as s:
        entry = s.execute(select(WaitlistEntry)).scalar_one()
        appointment = s.get(Appointment, appointment_id)
        assert entry.appointment_id == appointment_id and entry.place_ids == [appointment.place_id]
        assert as_utc(entry.before) == as_utc(appointment.start) == as_utc(entry.expires_at)
        assert entry.status == EntryStatus.ACTIVE
    declined = CollectingDispatcher()
    run(ActionDeclineWaitlist().run(declined, tracker(sender), {}))
    assert said(declined) == texts.declined_text()
    assert (
        answer_sms(
            PHONE, "OUI", max_appointments=2, routes_file=ROUTES, engine=city_db, sms=SmsConfig.of(get_settings())
        )
        is None
    )  # no offer waiting: OUI goes to Rasa

    run(ActionCancelAppointment().run(CollectingDispatcher(), tracker(other), {}))  # the earlier seat frees
    with session_scope(city_db) as s:
        run_ = service.offer_freed_seats(
            s,
            offer_minutes=120,
            batch=3,
            quiet_start=parse_hhmm("23:59"),
            quiet_end=parse_hhmm("00:00"),
            window=WINDOW,
            sms=SmsConfig.of(get_settings()),
        )
        assert run_.offered == 1
    assert (
        answer_sms(
            PHONE, "OUI", max_appointments=2, routes_file=ROUTES, engine=city_db, sms=SmsConfig.of(get_settings())
        ).outcome
        == "taken"
    )
    with session_scope(city_db) as s:
        booked = (
            s.execute(
                select(Appointment).where(
                    Appointment.resident_id == s.get(Appointment, appointment_id).resident_id,
                    Appointment.status == "booked",
                )
            )
            .scalars()
            .all()
        )
        assert [as_utc(a.start) for a in booked] == [as_utc(earliest.start)]  # moved, not doubled
        assert s.get(Appointment, other_id).status == "excused"
    assert write_guard.outside == []  # the seat was taken by bot/handoff/ alone
