"""The SMS channel end to end: the real Rasa server and action server, the
trained model, requests signed as Twilio signs them, outbound SMS captured
at the twilio library's HTTP edge."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy import text as text_sql

from bot.booking.models import Appointment
from bot.booking.offer import offer_slots
from bot.booking.timeutil import as_utc
from bot.db import make_engine, session_scope
from bot.handoff import book
from bot.privacy.hashing import phone_hash
from bot.residents import Resident, sms_conversation_id
from bot.settings import get_settings
from bot.sms.encoding import normalise
from bot.sms.models import InboundMessage, OptOut, OutboundMessage
from bot.texts import sms as texts
from bot.texts.privacy import secret_warning
from bot.tickets.models import Ticket, TicketEvent
from tests.booking.helpers import WINDOW
from tests.sms.live import (
    STATUS,
    WEBHOOK,
    inbound_params,
    new_sms,
    post,
    sms_to,
    status_callback,
    text,
    twilio_signature,
)
from tests.support.live_bot import TEST_SECRETS

HASH_KEY = TEST_SECRETS["HASH_KEY"]

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response />'


def sms(body: str) -> str:
    """A text as it goes out: normalised for GSM-7 (accent folding on, the default)."""
    return normalise(body, fold_accents=True)


def number(n: int) -> str:
    return f"+3361{n:07d}"


def engine_of(bot):
    return make_engine(bot.env["DATABASE_URL"])


def say(bot, phone: str, body: str, **kwargs) -> list[str]:
    """Text the bot; the SMS it sent back (through the Twilio API)."""
    before = len(sms_to(bot, phone))
    answer = text(bot, phone, body, **kwargs)
    assert answer.status == 200, answer
    assert answer.content_type.startswith("text/xml") and answer.body == EMPTY_TWIML
    return new_sms(bot, phone, before)


def test_forged_or_unsigned_requests_get_403_and_change_nothing(live_bot):
    bot, phone = live_bot, number(1)
    params = inbound_params(phone, "je veux un rendez-vous")
    internal_url = f"http://127.0.0.1:{bot.rasa_port}"
    attempts = [
        post(bot, WEBHOOK, params, signature=None),  # unsigned
        post(bot, WEBHOOK, params, signature="bm90IGEgc2lnbmF0dXJl"),
        post(bot, WEBHOOK, params, signature=twilio_signature(WEBHOOK, params, token="someone-else")),
        post(bot, WEBHOOK, params, signature=twilio_signature(WEBHOOK, params, base=internal_url)),  # not PUBLIC_URL
        post(bot, WEBHOOK, params, tamper={"Body": "STOP"}),  # signed, then changed
        post(bot, WEBHOOK, params, tamper={"Extra": "1"}),  # a parameter added after signing
        post(bot, STATUS, {"MessageSid": "SM1", "MessageStatus": "failed"}, signature=None),
    ]
    assert [a.status for a in attempts] == [403] * len(attempts)
    engine = engine_of(bot)
    with session_scope(engine) as s:
        assert (
            s.execute(select(InboundMessage).where(InboundMessage.message_sid == params["MessageSid"])).first() is None
        )
        assert s.execute(select(Resident).where(Resident.phone_hash == phone_hash(phone, HASH_KEY))).first() is None
        assert s.execute(select(OptOut).where(OptOut.phone_hash == phone_hash(phone, HASH_KEY))).first() is None
    engine.dispose()
    assert sms_to(bot, phone) == []

    # The same request, signed by Twilio, with whatever parameters Twilio adds: accepted.
    params["AddedByTwilioOneDay"] = "x"
    answer = post(bot, WEBHOOK, params)
    assert (answer.status, answer.body) == (200, EMPTY_TWIML) and answer.content_type.startswith("text/xml")
    assert sms_to(bot, phone)


def test_first_sms_gets_the_notice_first_and_the_conversation_is_keyed_by_a_hash(live_bot):
    bot, phone = live_bot, number(2)
    first = say(bot, phone, "bonjour")
    assert len(first) == 2
    assert "SUPPRIMER MES DONNEES" in first[0]  # the privacy notice, once, first
    assert first[1].startswith("Bonjour")
    again = say(bot, phone, "merci")
    assert again and not any("SUPPRIMER MES DONNEES" in m for m in again)
    engine = engine_of(bot)
    with session_scope(engine) as s:
        resident = s.execute(select(Resident).where(Resident.phone_hash == phone_hash(phone, HASH_KEY))).scalar_one()
        assert (
            resident.conversation_id == sms_conversation_id(phone, HASH_KEY) and phone not in resident.conversation_id
        )
        records = (
            s.execute(
                select(OutboundMessage)
                .where(OutboundMessage.to_hash == phone_hash(phone, HASH_KEY))
                .order_by(OutboundMessage.id)
            )
            .scalars()
            .all()
        )
        assert [r.purpose for r in records][:2] == ["notice", "reply"]
        assert all(r.twilio_sid and r.status == "queued" and r.encoding == "GSM-7" for r in records)
        # Rasa's conversation is keyed by the hash; the number appears in none of its events.
        conversation = sms_conversation_id(phone, HASH_KEY)
        assert s.execute(text_sql("SELECT count(*) FROM events WHERE sender_id = :c"), {"c": conversation}).scalar() > 0
        assert (
            s.execute(
                text_sql("SELECT count(*) FROM events WHERE sender_id LIKE :p OR data LIKE :p"), {"p": f"%{phone[3:]}%"}
            ).scalar()
            == 0
        )
    engine.dispose()


def test_keywords_and_messages_the_assistant_cannot_read_get_kind_answers(live_bot):
    bot, phone = live_bot, number(3)
    say(bot, phone, "bonjour")  # past the privacy notice

    aide = say(bot, phone, "AIDE")
    assert len(aide) == 1 and "Aide numérique de Metz" in aide[0] and "03 87 55 50 00" in aide[0]
    assert "STOP" in aide[0]

    image = say(bot, phone, "", num_media=1)
    assert image == [sms(texts.media_text())]
    assert say(bot, phone, "") == [sms(texts.empty_text())]
    assert say(bot, phone, "  ") == [sms(texts.empty_text())]
    assert say(bot, phone, "👍👍") == [sms(texts.emoji_text())]
    long = say(bot, phone, ("J'ai un souci avec mon ordinateur et ma boite mail. " * 40)[:1600])
    # A long story is not refused: a short word first, then the assistant reads it whole.
    assert long[0] == sms(texts.too_long_text()) and len(long) >= 2
    english = say(bot, phone, "Hello, I need help with my email please")
    assert (
        english == [sms(texts.french_only_text(get_settings().city_contact_phone))] and "03 87 55 50 00" in english[0]
    )
    # French SMS shorthand is read by the assistant, not called foreign.
    shorthand = say(bot, phone, "jai pa compri")
    assert shorthand and sms(texts.french_only_text(get_settings().city_contact_phone)) not in shorthand
    # A picture with a caption: the caption is still read.
    caption = say(bot, phone, "bonjour", num_media=1)
    assert caption[0] == sms(texts.media_text()) and len(caption) >= 2
    # A secret is masked and the person warned.
    secret = say(bot, phone, "mon mot de passe est Soleil2024")
    assert secret[0] == sms(secret_warning())


def test_rate_limit_answers_once_then_stays_silent(live_bot):
    bot, phone = live_bot, number(4)
    say(bot, phone, "bonjour")
    engine = engine_of(bot)
    with session_scope(engine) as s:  # 29 more messages this hour (30 in all: the limit)
        for i in range(29):
            s.add(
                InboundMessage(message_sid=f"SMflood{i}{uuid.uuid4().hex[:8]}", from_hash=phone_hash(phone, HASH_KEY))
            )
    engine.dispose()
    over = say(bot, phone, "bonjour")
    assert over == [sms(texts.rate_limited_text(get_settings().city_contact_phone))]
    assert say(bot, phone, "bonjour") == []
    assert say(bot, number(5), "bonjour")  # other numbers are not affected


def test_sms_booking_duplicate_delivery_status_callbacks_stop_and_start(live_bot):
    bot, phone = live_bot, number(6)
    talk = lambda body, **kw: " ".join(say(bot, phone, body, **kw))  # noqa: E731

    assert "questions courtes" in talk("je veux un rendez-vous")
    materiel = talk("je n'arrive pas à envoyer un mail avec une pièce jointe")
    assert "1. Ordinateur\n2. Téléphone\n3. Tablette\n4. Autre\n5. Aucun" in materiel  # numbered choices
    assert "adresse e-mail" in talk("2")  # téléphone, mapped back from the numbered choice
    assert "identifiants" in talk("1")  # oui
    assert "quartier" in talk("2")  # non
    assert "Quand" in talk("j'habite à Borny")
    assert "prénom" in talk("2")  # l'après-midi
    offer = talk("Marie")
    assert "besoin particulier" in offer
    offer = talk("1")  # no particular need; the phone is known: the offer comes
    assert "1." in offer and "Borny" in offer, offer
    assert "4. Autres horaires" not in offer  # the offer already numbers its choices

    # Twilio delivers the "1" twice (same MessageSid): one booking, one confirmation, no second reply.
    choice = inbound_params(phone, "1")
    before = len(sms_to(bot, phone))
    assert post(bot, WEBHOOK, choice).status == 200
    after_first = len(sms_to(bot, phone))
    assert post(bot, WEBHOOK, choice).status == 200
    assert len(sms_to(bot, phone)) == after_first > before
    confirmations = [m for m in sms_to(bot, phone) if m.startswith("Rendez-vous confirmé")]
    assert len(confirmations) == 1

    engine = engine_of(bot)
    with session_scope(engine) as s:
        resident = s.execute(select(Resident).where(Resident.phone_hash == phone_hash(phone, HASH_KEY))).scalar_one()
        appointments = s.execute(select(Appointment).where(Appointment.resident_id == resident.id)).scalars().all()
        assert len(appointments) == 1
        ticket = s.execute(select(Ticket).where(Ticket.appointment_id == appointments[0].id)).scalar_one()
        confirmation = s.execute(
            select(OutboundMessage).where(
                OutboundMessage.ticket_id == ticket.id, OutboundMessage.purpose == "confirmation"
            )
        ).scalar_one()
        ticket_id, resident_id, start = ticket.id, resident.id, as_utc(appointments[0].start)
        confirmation_sid = confirmation.twilio_sid

    # Status callbacks: delivered for the confirmation; the reminder is undelivered -> flagged.
    assert status_callback(bot, confirmation_sid, "delivered").status == 200
    # A day before, at the same wall time (never in the quiet hours); other tests share the database.
    bot.run_cli("reminders", "--now", (start - timedelta(hours=24)).isoformat())
    with session_scope(engine) as s:
        reminder = s.execute(
            select(OutboundMessage).where(OutboundMessage.ticket_id == ticket_id, OutboundMessage.purpose == "reminder")
        ).scalar_one()
        reminder_sid = reminder.twilio_sid
        assert not s.get(Ticket, ticket_id).delivery_problem
    assert status_callback(bot, reminder_sid, "sent").status == 200
    assert status_callback(bot, reminder_sid, "undelivered", "30003").status == 200
    with session_scope(engine) as s:
        by_sid = {
            m.twilio_sid: m
            for m in s.execute(
                select(OutboundMessage).where(OutboundMessage.twilio_sid.in_([confirmation_sid, reminder_sid]))
            ).scalars()
        }
        assert by_sid[confirmation_sid].status == "delivered"
        assert by_sid[reminder_sid].status == "undelivered" and by_sid[reminder_sid].error_code == "30003"
        ticket = s.get(Ticket, ticket_id)
        assert ticket.delivery_problem is True
        event = s.execute(
            select(TicketEvent).where(TicketEvent.ticket_id == ticket_id, TicketEvent.kind == "sms_failure")
        ).scalar_one()
        assert event.detail["purpose"] == "reminder"

    # STOP: one confirmation, then nothing, reminders included, until START.
    stop = say(bot, phone, "Stop")
    assert stop == [sms(texts.stop_confirmation(get_settings().service_name))]
    assert say(bot, phone, "bonjour") == []
    with session_scope(engine) as s:
        slot = offer_slots(
            s, thematique=None, neighbourhood="Borny", preferred=None, now=start + timedelta(days=3), window=WINDOW
        ).slots[0]
        second = book(s, s.get(Resident, resident_id), slot, now=start + timedelta(days=3), limit=2)
        second_start = as_utc(second.start)
    bot.run_cli("reminders", "--now", (second_start - timedelta(hours=24)).isoformat())
    assert len([m for m in sms_to(bot, phone) if m.startswith("Rappel")]) == 1  # only the one before STOP

    start_again = say(bot, phone, "START")
    assert start_again == [sms(texts.start_confirmation())]
    assert say(bot, phone, "bonjour")
    with session_scope(engine) as s:
        assert s.execute(select(OptOut).where(OptOut.phone_hash == phone_hash(phone, HASH_KEY))).first() is None
    engine.dispose()


def test_python_m_bot_sms_texts_the_bot_through_the_signed_webhook(live_bot):
    output = live_bot.run_cli("sms", "--from", "06 11 22 33 44", "bonjour")
    assert "bot> " in output and "SUPPRIMER MES DONNEES" in output and "Bonjour" in output
    assert any(m.startswith("Bonjour") for m in sms_to(live_bot, "+33611223344"))
