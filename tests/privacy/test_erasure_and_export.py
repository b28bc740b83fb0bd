"""Erasure removes everything linked to a number and nothing else; export shows it all first."""

from __future__ import annotations

import json

import sqlalchemy as sa

from bot.booking.models import Appointment, AppointmentStatus, SlotSeat
from bot.data_rights.erasure import erase_conversation, erase_phone
from bot.data_rights.export import export_for_phone
from bot.db import session_scope
from bot.privacy.hashing import phone_hash
from bot.residents import resident_for_conversation, sms_conversation_id
from bot.schema import metadata
from bot.sms.models import PendingChoices
from bot.sms.opt_out import is_opted_out, opt_out
from bot.tickets.models import Ticket, TicketStatus
from bot.web.deliveries import WebDelivery
from tests.privacy.conftest import person, save
from tests.support.live_bot import TEST_SECRETS

HASH_KEY = TEST_SECRETS["HASH_KEY"]

ALICE, BOB = "+33612345678", "+33698765432"


def database_text(engine) -> str:
    """Every row of every table, ours and Rasa's, as one text to search."""
    chunks = []
    with engine.connect() as conn:
        for table in [*metadata.sorted_tables, sa.table("events", sa.column("data"))]:
            for row in conn.execute(sa.select(sa.text("*")).select_from(table)):
                chunks.append(json.dumps([str(value) for value in row], ensure_ascii=False))
    return "\n".join(chunks)


def stripped(export: dict) -> dict:
    return {key: value for key, value in export.items() if key != "generated_at"}


def build_two_residents(engine, store, place, permanence):
    with session_scope(engine) as session:
        alice, alice_rdv, alice_ticket = person(session, place, permanence, ALICE, "Alice", "zebulon", days=7)
        person(session, place, permanence, BOB, "Bernard", "xylophone", days=8)
        # Alice also used the web widget and gave her number there.
        web = resident_for_conversation(session, "web:alice-browser")
        web.phone_e164, web.phone_hash = ALICE, phone_hash(ALICE, HASH_KEY)
        opt_out(session, ALICE, HASH_KEY)
        session.add(PendingChoices(phone_hash=phone_hash(ALICE, HASH_KEY), choices={"1": "oui"}))  # bot/sms/choices.py
        # The widget's last answer, kept for its retries (bot/web/deliveries.py).
        session.add(
            WebDelivery(
                sender="web:alice-browser",
                message_id="a1b2c3d4e5f6",
                answer=[{"text": "Merci Alice zebulon, c'est noté."}],
            )
        )
        ids = alice.id, alice_rdv.id, alice_ticket.id
    save(store, sms_conversation_id(ALICE, HASH_KEY), ["bonjour je suis Alice zebulon"])
    save(store, "web:alice-browser", ["mon numéro 06 12 34 56 78 zebulon"])
    save(store, sms_conversation_id(BOB, HASH_KEY), ["bonjour je suis Bernard xylophone"])
    return ids


def test_export_holds_everything_about_a_number_as_json(privacy_db, tracker_store, place_and_permanence):
    build_two_residents(privacy_db, tracker_store, *place_and_permanence)
    with session_scope(privacy_db) as session:
        data = export_for_phone(session, ALICE, HASH_KEY)
    json.dumps(data)  # JSON-serialisable
    text = json.dumps(data, ensure_ascii=False)
    assert data["phone"] == ALICE and len(data["residents"]) == 2
    assert {r["first_name"] for r in data["residents"]} == {"Alice", None}
    messages = [m["text"] for c in data["conversations"] for m in c["messages"]]
    assert "bonjour je suis Alice zebulon" in messages and "mon numéro 06 12 34 56 78 zebulon" in messages
    assert data["tickets"][0]["transcript"] == "je m'appelle Alice zebulon"
    assert data["tickets"][0]["history"][0]["kind"] == "created"
    assert data["appointments"][0]["status"] == "booked"
    assert data["sms_sent"][0]["body"].startswith("Rendez-vous confirm")
    assert len(data["sms_received"]) == 1 and data["opt_out"] is not None
    assert "Bernard" not in text and "xylophone" not in text and BOB not in text


def test_erasure_removes_everything_linked_to_a_number_and_nothing_else(
    privacy_db, tracker_store, place_and_permanence
):
    alice_id, rdv_id, ticket_id = build_two_residents(privacy_db, tracker_store, *place_and_permanence)
    with session_scope(privacy_db) as session:
        bob_before = stripped(export_for_phone(session, BOB, HASH_KEY))
    before = database_text(privacy_db)
    assert "zebulon" in before and "Alice" in before

    with session_scope(privacy_db) as session:
        report = erase_phone(session, ALICE, HASH_KEY)
    assert report.residents == 2 and report.tickets == 1 and report.appointments_cancelled == 1
    assert report.sms_sent == 1 and report.sms_received == 1 and report.conversation_events > 0

    after = database_text(privacy_db)
    for trace in (
        "zebulon",
        "Alice",
        ALICE,
        "06 12 34 56 78",
        sms_conversation_id(ALICE, HASH_KEY),
        "web:alice-browser",
    ):
        assert trace not in after, trace
    # The keyed hash of the number stays in the opt-out list only.
    assert after.count(phone_hash(ALICE, HASH_KEY)) == 1
    with session_scope(privacy_db) as session:
        assert is_opted_out(session, ALICE, HASH_KEY)
        # Her future appointment is cancelled and the slot free again.
        assert session.get(Appointment, rdv_id).status == AppointmentStatus.EXCUSED
        assert session.execute(sa.select(SlotSeat).where(SlotSeat.appointment_id == rdv_id)).first() is None
        # Anonymous statistics stay.
        ticket = session.get(Ticket, ticket_id)
        assert ticket.status == TicketStatus.CLOS and ticket.thematique == "email" and ticket.place_id is not None
        assert ticket.triage == {"thematique": "email", "materiel": "telephone", "has_email": "oui"}
        assert ticket.activity_report["thematiques"] == ["email"] and "notes" not in ticket.activity_report
        assert ticket.transcript_excerpt is None
        alice_export = export_for_phone(session, ALICE, HASH_KEY)
        assert alice_export["residents"] == [] and alice_export["tickets"] == [] and alice_export["sms_sent"] == []
        assert all(c["messages"] == [] for c in alice_export["conversations"])
        # Bob is untouched.
        assert stripped(export_for_phone(session, BOB, HASH_KEY)) == bob_before
    assert "xylophone" in after and "Bernard" in after

    # Idempotent: nothing left to erase.
    with session_scope(privacy_db) as session:
        again = erase_phone(session, ALICE, HASH_KEY)
    assert again.as_dict() == {key: 0 for key in again.as_dict()}


def test_erasure_from_a_conversation_reaches_the_same_person_on_other_channels(
    privacy_db, tracker_store, place_and_permanence
):
    build_two_residents(privacy_db, tracker_store, *place_and_permanence)
    with session_scope(privacy_db) as session:
        report = erase_conversation(session, "web:alice-browser")
    assert report.residents == 2
    after = database_text(privacy_db)
    assert "zebulon" not in after and ALICE not in after and "xylophone" in after
