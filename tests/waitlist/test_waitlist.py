"""The waitlist without servers: a freed seat texted to the first three on the list (at the
Twilio edge), the first OUI wins under concurrency (threads, PostgreSQL), the others are told
it is taken and stay listed, the winner's appointment is moved (not doubled), quiet hours,
STOP, expiry of entries and offers; OUI is read before Rasa by the SMS channel; erasure,
retention and the access export cover the tables."""

from __future__ import annotations

import asyncio
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from bot import handoff
from bot.booking.models import Appointment, AppointmentStatus
from bot.booking.slots import next_slots
from bot.booking.timeutil import as_utc
from bot.data_rights.erasure import erase_phone
from bot.data_rights.export import export_for_phone
from bot.data_rights.retention import RetentionPolicy, purge
from bot.db import session_scope
from bot.reminders import parse_hhmm
from bot.settings import get_settings, reload_settings
from bot.sms.opt_out import opt_out
from bot.sms.outbound import SmsConfig
from bot.sms.signature import FormParams
from bot.texts import waitlist as texts
from bot.tickets.models import CancelledBy, EventKind, Ticket, TicketEvent
from bot.waitlist import service
from bot.waitlist.models import EntryStatus, OfferStatus, WaitlistEntry, WaitlistOffer
from bot.waitlist.replies import answer_sms
from tests.booking.helpers import ROUTES, WINDOW, make_place, make_resident
from tests.support.live_bot import TEST_SECRETS

HASH_KEY = TEST_SECRETS["HASH_KEY"]

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=timezone.utc)  # Monday 11:00 in Metz
PHONES = ["+33611111111", "+33622222222", "+33633333333", "+33644444444", "+33655555555"]
REQUEST = handoff.HandoffRequest(
    triage={"materiel": "telephone"}, thematique="email", route="rendez_vous", orientation=None
)
JOB = dict(offer_minutes=120, batch=3, quiet_start=parse_hhmm("20:00"), quiet_end=parse_hhmm("09:00"), window=WINDOW)


def run_job(engine, now=NOW):
    with session_scope(engine) as s:
        return service.offer_freed_seats(s, now=now, sms=SmsConfig.of(get_settings()), **JOB)


def offers_sent(client) -> dict[str, str]:
    return {r["data"]["To"]: r["data"]["Body"] for r in client.requests if "libéré" in r["data"].get("Body", "")}


def bodies_to(client, phone) -> list[str]:
    return [r["data"]["Body"] for r in client.requests if r["data"].get("To") == phone]


def city(engine):
    """One place, one slot a week (Tuesday 14 h, one seat): A holds Dec 8; B, C, D hold the next
    Tuesdays and wait for earlier; E has no appointment and waits for one before Dec 29."""
    with session_scope(engine) as s:
        place, permanence = make_place(s, schedule="Tu 14:00-15:00", capacity=1, slot_minutes=60)
        slots = next_slots(s, now=NOW, place_ids=[place.id], limit=4, window=WINDOW)
        assert [as_utc(x.start).day for x in slots] == [8, 15, 22, 29]
        ids = {}
        for phone, slot in zip(PHONES, slots):
            resident = make_resident(s, phone)
            appointment = handoff.book(s, resident, slot, now=NOW, limit=2)
            handoff.open_ticket(s, resident, REQUEST, appointment)
            ids[phone] = appointment.id
        for phone in PHONES[1:4]:
            resident = make_resident(s, phone)
            current = s.get(Appointment, ids[phone])
            service.join(
                s,
                resident,
                place_ids=[place.id],
                thematique="email",
                kind="individuel",
                before=current.start,
                days=14,
                current=current,
                route="rendez_vous",
                now=NOW,
                hash_key=HASH_KEY,
            )
        late = make_resident(s, PHONES[4])
        service.join(
            s,
            late,
            place_ids=[place.id],
            thematique="email",
            kind="individuel",
            before=slots[3].start,
            days=14,
            triage={"materiel": "ordinateur"},
            route="rendez_vous",
            now=NOW,
            hash_key=HASH_KEY,
        )
        return place.id, ids


def cancel(engine, appointment_id):
    with session_scope(engine) as s:
        handoff.cancel(s, s.get(Appointment, appointment_id), by=CancelledBy.RESIDENT, actor=handoff.RESIDENT)


def test_a_cancellation_offers_the_seat_to_the_first_three_and_one_oui_takes_it(wl_db):
    engine, client = wl_db
    _place_id, ids = city(engine)
    assert run_job(engine).offered == 0 and offers_sent(client) == {}  # nothing earlier is free yet
    cancel(engine, ids[PHONES[0]])
    run = run_job(engine)
    assert run.offered == 3
    sent = offers_sent(client)
    assert set(sent) == set(PHONES[1:4])  # first in, first offered; E waits
    assert sent[PHONES[1]] == texts.offer_text("mardi 8 décembre à 14 h", "Mairie de quartier test", 2)
    assert run_job(engine).offered == 0  # idempotent: nothing texted twice

    first = answer_sms(
        PHONES[2],
        "Oui",
        max_appointments=2,
        now=NOW + timedelta(minutes=5),
        routes_file=ROUTES,
        engine=engine,
        sms=SmsConfig.of(get_settings()),
    )
    assert first.outcome == "taken"
    late = answer_sms(
        PHONES[1],
        "OUI",
        max_appointments=2,
        now=NOW + timedelta(minutes=6),
        routes_file=ROUTES,
        engine=engine,
        sms=SmsConfig.of(get_settings()),
    )
    assert late.outcome == "missed"
    assert bodies_to(client, PHONES[1])[-1] == "Ce créneau a déjà été pris. Vous restez sur la liste."
    assert "Rendez-vous confirmé : mardi 8 décembre à 14 h" in bodies_to(client, PHONES[2])[-1]
    with session_scope(engine) as s:
        statuses = {e.phone_hash: e.status for e in s.execute(select(WaitlistEntry)).scalars()}
        winner = make_resident(s, PHONES[2])
        booked = (
            s.execute(
                select(Appointment).where(
                    Appointment.resident_id == winner.id, Appointment.status == AppointmentStatus.BOOKED
                )
            )
            .scalars()
            .all()
        )
        assert len(booked) == 1 and as_utc(booked[0].start).day == 8  # moved, not doubled
        old = s.get(Appointment, ids[PHONES[2]])
        assert old.status == AppointmentStatus.EXCUSED
        ticket = s.execute(select(Ticket).where(Ticket.resident_id == winner.id)).scalar_one()
        assert ticket.appointment_id == booked[0].id  # the ticket follows
        kinds = [e.kind for e in s.execute(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id)).scalars()]
        assert EventKind.MOVED in kinds
    from bot.privacy.hashing import phone_hash

    assert statuses[phone_hash(PHONES[2], HASH_KEY)] == EntryStatus.SERVED  # the winner leaves the list
    assert statuses[phone_hash(PHONES[1], HASH_KEY)] == EntryStatus.ACTIVE  # the others stay
    assert statuses[phone_hash(PHONES[3], HASH_KEY)] == EntryStatus.ACTIVE
    # The winner's old seat (Dec 22) is free now: the next run offers it to D (before Dec 29) and E.
    client.requests.clear()
    assert set(offers_sent(client)) == set()
    run_job(engine, NOW + timedelta(minutes=10))
    assert set(offers_sent(client)) >= {PHONES[4]}


def test_exactly_one_concurrent_oui_wins_on_postgresql(pg_wl_db):
    engine, client = pg_wl_db
    _place_id, ids = city(engine)
    cancel(engine, ids[PHONES[0]])
    assert run_job(engine).offered == 3
    barrier = threading.Barrier(3)
    results: dict[str, str] = {}

    def say_yes(phone):
        barrier.wait()
        results[phone] = answer_sms(
            phone,
            "OUI",
            max_appointments=2,
            now=NOW + timedelta(minutes=1),
            routes_file=ROUTES,
            engine=engine,
            sms=SmsConfig.of(get_settings()),
        ).outcome

    threads = [threading.Thread(target=say_yes, args=(phone,)) for phone in PHONES[1:4]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results.values()) == ["missed", "missed", "taken"], results
    winner = next(phone for phone, outcome in results.items() if outcome == "taken")
    with session_scope(engine) as s:
        day8 = s.execute(
            select(func.count())
            .select_from(Appointment)
            .where(Appointment.status == AppointmentStatus.BOOKED, func.extract("day", Appointment.start) == 8)
        ).scalar_one()
        assert day8 == 1
        for phone in PHONES[1:4]:
            resident = make_resident(s, phone)
            booked = s.execute(
                select(func.count())
                .select_from(Appointment)
                .where(Appointment.resident_id == resident.id, Appointment.status == AppointmentStatus.BOOKED)
            ).scalar_one()
            assert booked == 1, phone  # the winner moved, the others kept theirs
            entry = s.execute(select(WaitlistEntry).where(WaitlistEntry.resident_id == resident.id)).scalar_one()
            assert entry.status == (EntryStatus.SERVED if phone == winner else EntryStatus.ACTIVE)
    for phone in PHONES[1:4]:
        if phone != winner:
            assert bodies_to(client, phone)[-1] == texts.taken_by_other_text()


def test_non_turns_the_offer_down_keeps_the_resident_listed_and_frees_the_slot_for_the_next(wl_db):
    engine, client = wl_db
    _place_id, ids = city(engine)
    cancel(engine, ids[PHONES[0]])
    assert run_job(engine).offered == 3 and PHONES[4] not in offers_sent(client)
    reply = dict(max_appointments=2, routes_file=ROUTES, engine=engine, sms=SmsConfig.of(get_settings()))
    answer = answer_sms(PHONES[3], "Non merci.", now=NOW + timedelta(minutes=3), **reply)
    assert answer is not None and answer.outcome == "refused"  # answered here, not by Rasa
    assert bodies_to(client, PHONES[3])[-1] == texts.refused_text()
    with session_scope(engine) as s:
        resident = make_resident(s, PHONES[3])
        entry = s.execute(select(WaitlistEntry).where(WaitlistEntry.resident_id == resident.id)).scalar_one()
        assert entry.status == EntryStatus.ACTIVE  # still on the list
        offer = s.execute(select(WaitlistOffer).where(WaitlistOffer.entry_id == entry.id)).scalar_one()
        assert offer.status == OfferStatus.REFUSED and offer.answered_at is not None
        kept = s.get(Appointment, ids[PHONES[3]])
        assert kept.status == AppointmentStatus.BOOKED  # NON keeps the appointment it had
    # A second NON has no offer waiting: it goes to Rasa as before.
    assert answer_sms(PHONES[3], "NON", now=NOW + timedelta(minutes=4), **reply) is None
    # The next run does not wait for the offer's two hours: E gets the slot D turned down; D is not
    # offered it again.
    client.requests.clear()
    run = run_job(engine, NOW + timedelta(minutes=5))
    assert run.offered == 1 and set(offers_sent(client)) == {PHONES[4]}
    # And the slot is still E's to take.
    assert answer_sms(PHONES[4], "oui", now=NOW + timedelta(minutes=6), **reply).outcome == "taken"


def test_quiet_hours_hold_offers_and_stop_skips_the_number(wl_db):
    engine, client = wl_db
    _place_id, ids = city(engine)
    cancel(engine, ids[PHONES[0]])
    evening = datetime(2026, 12, 6, 20, 30, tzinfo=timezone.utc)  # Sunday 21:30 in Metz
    run = run_job(engine, evening)
    assert run.offered == 0 and run.held >= 1 and offers_sent(client) == {}
    with session_scope(engine) as s:
        opt_out(s, PHONES[1], HASH_KEY)
    run = run_job(engine)
    assert set(offers_sent(client)) == {PHONES[2], PHONES[3], PHONES[4]}  # B said STOP: the next one instead
    assert run.held == 1


def test_an_unanswered_offer_expires_and_the_next_resident_gets_the_seat(wl_db):
    engine, client = wl_db
    _place_id, ids = city(engine)
    cancel(engine, ids[PHONES[0]])
    run_job(engine)
    assert PHONES[4] not in offers_sent(client)
    later = NOW + timedelta(minutes=121)
    assert (
        answer_sms(
            PHONES[1],
            "OUI",
            max_appointments=2,
            now=later,
            routes_file=ROUTES,
            engine=engine,
            sms=SmsConfig.of(get_settings()),
        )
        is None
    )  # expired: OUI goes to Rasa as before
    run = run_job(engine, later)
    assert run.offers_expired == 3 and PHONES[4] in offers_sent(client)
    assert (
        answer_sms(
            PHONES[4],
            "oui",
            max_appointments=2,
            now=later + timedelta(minutes=1),
            routes_file=ROUTES,
            engine=engine,
            sms=SmsConfig.of(get_settings()),
        ).outcome
        == "taken"
    )
    with session_scope(engine) as s:
        resident = make_resident(s, PHONES[4])
        appointments = (
            s.execute(
                select(Appointment)
                .where(Appointment.resident_id == resident.id, Appointment.status == AppointmentStatus.BOOKED)
                .order_by(Appointment.start)
            )
            .scalars()
            .all()
        )
        assert [as_utc(a.start).day for a in appointments] == [8]  # E had no appointment: booked
        ticket = s.execute(select(Ticket).where(Ticket.appointment_id == appointments[0].id)).scalar_one()
        assert ticket.triage == {"materiel": "ordinateur"} and ticket.thematique == "email"


def test_entries_expire_at_their_appointment_or_after_waitlist_days(wl_db):
    engine, _client = wl_db
    _place_id, ids = city(engine)
    run = run_job(engine, NOW + timedelta(days=8, hours=6))  # after Dec 15 14 h: B's entry ends
    assert run.expired == 1
    run = run_job(engine, NOW + timedelta(days=15))  # E joined with 14 days
    with session_scope(engine) as s:
        by_phone = {e.phone_hash: e for e in s.execute(select(WaitlistEntry)).scalars()}
        from bot.privacy.hashing import phone_hash

        assert by_phone[phone_hash(PHONES[1], HASH_KEY)].status == EntryStatus.EXPIRED
        assert by_phone[phone_hash(PHONES[4], HASH_KEY)].status == EntryStatus.EXPIRED
        assert by_phone[phone_hash(PHONES[2], HASH_KEY)].status == EntryStatus.ACTIVE  # Dec 22 is still ahead
    cancel(engine, ids[PHONES[2]])  # C cancels: an entry without its appointment ends
    assert run_job(engine, NOW + timedelta(days=15, minutes=1)).expired == 1


def test_oui_to_an_offer_is_read_before_rasa_and_other_messages_go_on(wl_db):
    from bot.sms_channel import TwilioSmsInput

    engine, client = wl_db
    _place_id, ids = city(engine)
    cancel(engine, ids[PHONES[0]])
    run_job(engine)
    to_rasa = []

    async def on_new_message(message):
        to_rasa.append(message.text)

    def params(phone, body, n):
        return FormParams(
            {
                "MessageSid": [f"SM{n:032x}"],
                "From": [phone],
                "To": ["+33700000000"],
                "Body": [body],
                "NumMedia": ["0"],
                "AccountSid": ["AC" + "0" * 32],
            }
        )

    channel = TwilioSmsInput()
    asyncio.run(channel.handle(params(PHONES[1], "OUI", 1), on_new_message))
    asyncio.run(channel.handle(params(PHONES[2], "bonjour", 2), on_new_message))
    asyncio.run(channel.handle(params(PHONES[4], "OUI", 3), on_new_message))  # no offer: Rasa reads it
    assert to_rasa == ["bonjour", "OUI"]
    with session_scope(engine) as s:
        assert (
            s.execute(
                select(func.count()).select_from(WaitlistOffer).where(WaitlistOffer.status == OfferStatus.TAKEN)
            ).scalar_one()
            == 1
        )


def test_after_talking_with_the_assistant_a_bare_oui_answers_it_and_place_takes_the_seat(wl_db):
    """B got the offer, then asked the assistant a question: its "Cette réponse vous aide ?" is
    newer than the offer, so B's bare "oui" (and "non") go to Rasa, the offer still waits, and a
    line after the assistant's reply says PLACE takes the seat; PLACE does."""
    from bot.sms.models import InboundMessage
    from bot.sms_channel import TwilioSmsInput

    engine, client = wl_db
    _place_id, ids = city(engine)
    cancel(engine, ids[PHONES[0]])
    run_job(engine)
    assert PHONES[1] in offers_sent(client)
    to_rasa = []

    async def on_new_message(message):
        to_rasa.append(message.text)
        await message.output_channel.send_text_message(message.sender_id, "Cette réponse vous aide ?")

    def params(body, n):
        return FormParams(
            {
                "MessageSid": [f"SM{n:032x}"],
                "From": [PHONES[1]],
                "To": ["+33700000000"],
                "Body": [body],
                "NumMedia": ["0"],
                "AccountSid": ["AC" + "0" * 32],
            }
        )

    def pending():
        with session_scope(engine) as s:
            return s.execute(
                select(func.count()).select_from(WaitlistOffer).where(WaitlistOffer.status == OfferStatus.PENDING)
            ).scalar_one()

    channel = TwilioSmsInput()
    asyncio.run(channel.handle(params("comment envoyer une photo par mail", 1), on_new_message))
    with session_scope(engine) as s:  # the question came after the offer (sent at NOW, the tests' clock)
        s.execute(
            InboundMessage.__table__.update()
            .where(InboundMessage.message_sid == f"SM{1:032x}")
            .values(received_at=NOW + timedelta(minutes=1))
        )
    waiting = pending()
    for n, answer in enumerate(("oui", "NON"), start=2):
        asyncio.run(channel.handle(params(answer, n), on_new_message))
        assert to_rasa[-1] == answer
        assert bodies_to(client, PHONES[1])[-2:] == [
            "Cette réponse vous aide ?",
            texts.reminder_text("mardi 8 décembre à 14 h", "Mairie de quartier test"),
        ]
        assert pending() == waiting  # neither taken nor refused
    asyncio.run(channel.handle(params("Place !", 4), on_new_message))
    assert to_rasa == ["comment envoyer une photo par mail", "oui", "NON"]
    with session_scope(engine) as s:
        taken = s.execute(select(WaitlistOffer).where(WaitlistOffer.status == OfferStatus.TAKEN)).scalars().all()
        assert len(taken) == 1
        entry = s.get(WaitlistEntry, taken[0].entry_id)
        assert entry.status == EntryStatus.SERVED and entry.phone_hash == service.phone_hash(PHONES[1], HASH_KEY)


def test_the_configured_booking_max_future_appointments_holds_for_a_freed_seat(wl_db, monkeypatch):
    """BOOKING_MAX_FUTURE_APPOINTMENTS=1, read by the SMS channel: E, who already holds an appointment
    elsewhere, cannot take a freed seat with OUI (the default, 2, would let them)."""
    from bot.sms_channel import TwilioSmsInput

    engine, client = wl_db
    _place_id, ids = city(engine)
    with session_scope(engine) as s:
        other, _permanence = make_place(s, schedule="We 14:00-15:00", slug="autre", aliases=("autre",))
        slot = next_slots(s, now=NOW, place_ids=[other.id], limit=1, window=WINDOW)[0]
        handoff.book(s, make_resident(s, PHONES[4]), slot, now=NOW, limit=2)
    cancel(engine, ids[PHONES[0]])
    with session_scope(engine) as s:
        assert (
            service.offer_freed_seats(s, now=NOW, sms=SmsConfig.of(get_settings()), **{**JOB, "batch": 4}).offered == 4
        )  # E too
    monkeypatch.setenv("BOOKING_MAX_FUTURE_APPOINTMENTS", "1")
    reload_settings()
    to_rasa = []

    async def on_new_message(message):
        to_rasa.append(message.text)

    oui = FormParams(
        {
            "MessageSid": ["SM" + "e" * 32],
            "From": [PHONES[4]],
            "To": ["+33700000000"],
            "Body": ["OUI"],
            "NumMedia": ["0"],
            "AccountSid": ["AC" + "0" * 32],
        }
    )
    asyncio.run(TwilioSmsInput().handle(oui, on_new_message))
    assert to_rasa == []
    assert bodies_to(client, PHONES[4])[-1] == texts.too_many_text(1)
    with session_scope(engine) as s:
        resident = make_resident(s, PHONES[4])
        booked = s.execute(
            select(func.count())
            .select_from(Appointment)
            .where(Appointment.resident_id == resident.id, Appointment.status == AppointmentStatus.BOOKED)
        ).scalar_one()
        assert booked == 1


def test_the_desk_removes_an_entry_and_erasure_retention_export_cover_the_waitlist(wl_db):
    engine, _client = wl_db
    _place_id, ids = city(engine)
    cancel(engine, ids[PHONES[0]])
    run_job(engine)
    with session_scope(engine) as s:
        exported = export_for_phone(s, PHONES[1], HASH_KEY)["waitlist"]
        assert exported and exported[0]["offers"][0]["status"] == "pending"
        assert "phone" not in exported[0]
        entry = s.get(WaitlistEntry, 2)  # C's
        service.remove(s, entry, "Camille", now=NOW)
    with session_scope(engine) as s:
        assert s.get(WaitlistEntry, 2).status == EntryStatus.REMOVED
        report = erase_phone(s, PHONES[1], HASH_KEY, now=NOW)
        assert report.waitlist_entries == 1
        assert export_for_phone(s, PHONES[1], HASH_KEY)["waitlist"] == []
    with session_scope(engine) as s:
        assert (
            purge(s, now=NOW + timedelta(days=1), policy=RetentionPolicy.of(get_settings())).waitlist_entries_deleted
            == 0
        )  # removed yesterday: kept
        assert (
            purge(s, now=NOW + timedelta(days=400), policy=RetentionPolicy.of(get_settings())).waitlist_entries_deleted
            == 1
        )  # the removed one
        assert s.execute(select(func.count()).select_from(WaitlistEntry)).scalar_one() == 2  # D and E, on the list


@pytest.mark.parametrize(
    "text,earlier",
    [("plus tôt", True), ("c'est trop tard", True), ("Plus vite svp", True), ("autre", False), ("2", False)],
)
def test_plus_tot_is_read_as_slots_too_late(text, earlier):
    assert service.wants_earlier(text) is earlier


def test_every_cause_of_a_free_seat_reaches_the_list_desk_cancel_and_a_new_day(wl_db):
    from bot.places.models import Permanence

    engine, client = wl_db
    _place_id, ids = city(engine)
    with session_scope(engine) as s:  # the desk cancels A's ticket: the seat is revoked
        ticket = s.execute(select(Ticket).where(Ticket.appointment_id == ids[PHONES[0]])).scalar_one()
        handoff.cancel_ticket(s, ticket, "Camille")
    assert run_job(engine).offered == 3 and set(offers_sent(client)) == set(PHONES[1:4])
    client.requests.clear()
    with session_scope(engine) as s:  # a new permanence day (the coordinateur edits the schedule)
        permanence = s.execute(select(Permanence)).scalars().one()
        permanence.schedule = "Tu 14:00-15:00; We 10:00-11:00"
    run_job(engine)
    assert set(offers_sent(client)) == {PHONES[4]}  # E, the only one without an offer waiting
    assert "mercredi 9 décembre à 10 h" in offers_sent(client)[PHONES[4]]
