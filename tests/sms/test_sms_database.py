"""The SMS parts that keep state in the database, on a fresh SQLite schema,
with the real twilio library recorded at its HTTP edge: outbound retries,
opt-outs against reminders, numbered choices, delivery statuses, rate limit."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from bot.booking.slots import next_slots
from bot.booking.timeutil import as_utc
from bot.db import session_scope
from bot.handoff import book, flag_sms_failure
from bot.privacy.hashing import phone_hash
from bot.reminders import ReminderPolicy, send_due_reminders
from bot.settings import get_settings
from bot.sms import choices
from bot.sms.models import InboundMessage, OutboundMessage, PendingChoices
from bot.sms.opt_out import is_opted_out, opt_in, opt_out
from bot.sms.outbound import SmsConfig, send_sms
from bot.sms.rate_limit import check_rate
from bot.sms.status import apply_status
from bot.tickets.models import Ticket, TicketEvent
from tests.booking.helpers import WINDOW, make_place, make_resident
from tests.handoff.builders import create_ticket
from tests.support.live_bot import TEST_SECRETS
from tests.support.twilio_edge import RecordingHttpClient

HASH_KEY = TEST_SECRETS["HASH_KEY"]

PHONE = "+33612345678"
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)  # a Tuesday morning


def no_sleep(_):
    return None


def test_transient_twilio_errors_are_retried_and_the_status_recorded(sms_env):
    engine, _ = sms_env
    flaky = RecordingHttpClient(fail_first=2)
    with session_scope(engine) as s:
        message = send_sms(
            s,
            to_e164=PHONE,
            body="Bonjour « test »",
            purpose="reply",
            http_client=flaky,
            sleep=no_sleep,
            sms=SmsConfig.of(get_settings()),
        )
        assert message.status == "queued" and message.twilio_sid.startswith("SM")
        assert message.body == 'Bonjour " test "' and message.encoding == "GSM-7"
    assert len(flaky.requests) == 3
    data = flaky.requests[-1]["data"]
    assert data["To"] == PHONE and data["From"] == "+33700000000"
    assert data["StatusCallback"] == "https://aide.metz.test/webhooks/twilio_sms/status"

    down = RecordingHttpClient(fail_first=10)
    with session_scope(engine) as s:
        message = send_sms(
            s,
            to_e164=PHONE,
            body="x",
            purpose="reply",
            http_client=down,
            sleep=no_sleep,
            sms=SmsConfig.of(get_settings()),
        )
        assert message.status == "failed" and message.twilio_sid is None
    assert len(down.requests) == 4  # one try and three retries


def test_stop_means_no_reminder_and_start_brings_them_back(sms_env):
    engine, client = sms_env
    with session_scope(engine) as s:
        make_place(s)
        resident = make_resident(s, PHONE)
        slots = next_slots(s, now=NOW, limit=4, window=WINDOW)  # Tuesdays 14, 15, 16 h, then a week later
        first, second = slots[0], slots[-1]
        assert as_utc(second.start) - as_utc(first.start) > timedelta(days=6)
        a1 = book(s, resident, first, now=NOW, limit=2)
        a2 = book(s, resident, second, now=NOW, limit=2)
        opt_out(s, PHONE, HASH_KEY)
        starts = [as_utc(a1.start), as_utc(a2.start)]
    with session_scope(engine) as s:
        send_due_reminders(
            s,
            now=starts[0] - timedelta(hours=1),
            policy=ReminderPolicy.of(get_settings()),
            sms=SmsConfig.of(get_settings()),
        )
    assert [r for r in client.requests if r["data"].get("To") == PHONE] == []
    with session_scope(engine) as s:
        assert s.execute(select(OutboundMessage)).first() is None  # nothing recorded as sent either
        opt_in(s, PHONE, HASH_KEY)
    with session_scope(engine) as s:
        send_due_reminders(
            s,
            now=starts[1] - timedelta(hours=1),
            policy=ReminderPolicy.of(get_settings()),
            sms=SmsConfig.of(get_settings()),
        )
    sent = [r["data"] for r in client.requests if r["data"].get("To") == PHONE]
    assert len(sent) == 1 and sent[0]["Body"].startswith("Rappel")


def test_opt_out_list_is_in_the_database_and_holds_no_number(sms_env):
    engine, _ = sms_env
    with session_scope(engine) as s:
        opt_out(s, PHONE, HASH_KEY)
        opt_out(s, PHONE, HASH_KEY)  # twice: still one row
    with session_scope(engine) as s:  # a new session, as after a restart
        assert is_opted_out(s, PHONE, HASH_KEY)
        from bot.sms.models import OptOut

        rows = s.execute(select(OptOut)).scalars().all()
        assert len(rows) == 1 and rows[0].phone_hash == phone_hash(PHONE, HASH_KEY) and PHONE not in rows[0].phone_hash


def test_buttons_become_numbered_choices_and_numbers_map_back(sms_env):
    engine, _ = sms_env
    buttons = [
        {"title": "Un rendez-vous", "payload": "/book_appointment"},
        {"title": "Une question", "payload": '/faq_email{"x": 1}'},
    ]
    rendered = choices.render("Que voulez-vous ?", buttons)
    assert rendered.text == "Que voulez-vous ?\n1. Un rendez-vous\n2. Une question\nRépondez avec le numéro."
    key = phone_hash(PHONE, HASH_KEY)
    with session_scope(engine) as s:
        choices.remember(s, key, rendered.choices)
    with session_scope(engine) as s:
        assert choices.resolve(s, key, "2") == '/faq_email{"x": 1}'
        assert choices.resolve(s, key, " 1. ") == "/book_appointment"
        assert choices.resolve(s, key, "3") == "3"  # not a choice offered
        assert choices.resolve(s, key, "2 fois") == "2 fois"
        assert choices.resolve(s, key, "2", now=datetime.now(timezone.utc) + timedelta(hours=5)) == "2"
        assert choices.resolve(s, phone_hash("+33699999999", HASH_KEY), "2") == "2"
        choices.remember(s, key, {})  # a reply without buttons forgets them
    with session_scope(engine) as s:
        assert choices.resolve(s, key, "2") == "2"
        assert s.execute(select(PendingChoices)).first() is None


def test_a_text_that_already_numbers_its_choices_is_sent_as_it_is():
    text = "Voici les prochains rendez-vous :\n1. mardi 1er décembre à 14 h, CCAS\n2. jeudi 3 décembre à 9 h, Borny\nRépondez 1, 2 ou 3, ou AUTRE."
    buttons = [
        {"title": "mardi 1er décembre à 14 h, CCAS", "payload": "1"},
        {"title": "jeudi 3 décembre à 9 h, Borny", "payload": "2"},
        {"title": "Autres horaires", "payload": "autre"},
    ]
    rendered = choices.render(text, buttons)
    assert rendered.text == text
    assert rendered.choices == {"1": "1", "2": "2"}  # "3" is not offered: not mapped to "autre"


def test_status_callbacks_update_the_record_and_flag_a_failed_reminder(sms_env):
    engine, _ = sms_env
    with session_scope(engine) as s:
        ticket = create_ticket(
            s,
            resident_id=None,
            thematique="email",
            triage={},
            activity_report={},
            bot_answers=[],
            transcript_excerpt="",
        )
        reminder = send_sms(
            s,
            to_e164=PHONE,
            body="Rappel : rendez-vous",
            purpose="reminder",
            ticket_id=ticket.id,
            sms=SmsConfig.of(get_settings()),
        )
        answer = send_sms(s, to_e164=PHONE, body="Bonjour", purpose="reply", sms=SmsConfig.of(get_settings()))
        ids = ticket.id, reminder.twilio_sid, answer.twilio_sid
    ticket_id, reminder_sid, answer_sid = ids
    with session_scope(engine) as s:
        assert apply_status(s, reminder_sid, "sent").status == "sent"
        assert (
            apply_status(s, reminder_sid, "undelivered", "30003", on_failure=flag_sms_failure).status == "undelivered"
        )
        assert apply_status(s, reminder_sid, "sent").status == "undelivered"  # late, out of order
        assert apply_status(s, reminder_sid, "failed", "30003", on_failure=flag_sms_failure).status == "failed"
        assert apply_status(s, answer_sid, "failed", "30005", on_failure=flag_sms_failure).status == "failed"
        assert apply_status(s, "SMunknown", "delivered") is None
        assert apply_status(s, answer_sid, "nonsense") is None  # an unknown status changes nothing
    with session_scope(engine) as s:
        ticket = s.get(Ticket, ticket_id)
        assert ticket.delivery_problem is True
        failures = [
            e
            for e in s.execute(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id)).scalars()
            if e.kind == "sms_failure"
        ]
        assert len(failures) == 1  # flagged once, not at every callback
        assert failures[0].detail["purpose"] == "reminder" and failures[0].detail["error_code"] == "30003"


def test_rate_limit_is_counted_in_the_database_per_number(sms_env, monkeypatch):
    engine, _ = sms_env
    key, other = phone_hash(PHONE, HASH_KEY), phone_hash("+33698765432", HASH_KEY)
    now = datetime.now(timezone.utc)
    with session_scope(engine) as s:
        s.add(InboundMessage(message_sid="SMold", from_hash=key, received_at=now - timedelta(hours=2)))
        for i in range(30):
            s.add(InboundMessage(message_sid=f"SM{i}", from_hash=key, received_at=now - timedelta(minutes=i)))
        s.add(InboundMessage(message_sid="SMother", from_hash=other, received_at=now))
    with session_scope(engine) as s:
        assert check_rate(s, key, now, limit=30) == check_rate(s, key, now, limit=30).__class__(
            limited=False, notify=False
        )
        s.add(InboundMessage(message_sid="SM31", from_hash=key, received_at=now))
        s.flush()
        first_over = check_rate(s, key, now, limit=30)
        assert first_over.limited and first_over.notify
        s.add(InboundMessage(message_sid="SM32", from_hash=key, received_at=now))
        s.flush()
        assert check_rate(s, key, now, limit=30).limited and not check_rate(s, key, now, limit=30).notify
        assert not check_rate(s, other, now, limit=30).limited


def test_from_a_messaging_service_or_to_the_local_outbox(sms_env, monkeypatch):
    from bot.settings import reload_settings

    engine, client = sms_env
    monkeypatch.setenv("TWILIO_MESSAGING_SERVICE_SID", "MG" + "1" * 32)
    reload_settings()
    with session_scope(engine) as s:
        send_sms(s, to_e164=PHONE, body="Bonjour", purpose="reply", sms=SmsConfig.of(get_settings()))
    data = client.requests[-1]["data"]
    assert data["MessagingServiceSid"] == "MG" + "1" * 32 and "From" not in data

    monkeypatch.setenv("TWILIO_ACCOUNT_SID", "")
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "")
    reload_settings()
    with session_scope(engine) as s:
        message = send_sms(s, to_e164=PHONE, body="Sans Twilio", purpose="reply", sms=SmsConfig.of(get_settings()))
        assert message.status == "outbox" and message.body == "Sans Twilio"
    assert len(client.requests) == 1  # nothing went to the network


def test_twilio_advanced_opt_out_keywords_are_honoured_too(sms_env):
    from bot.sms.intake import take_in
    from bot.sms.signature import FormParams

    engine, client = sms_env
    params = FormParams(
        {"MessageSid": ["SMunsub"], "From": [PHONE], "Body": ["UNSUBSCRIBE"], "OptOutType": ["STOP"], "NumMedia": ["0"]}
    )
    assert take_in(params, get_settings(), engine=engine).outcome == "stop"
    with session_scope(engine) as s:
        assert is_opted_out(s, PHONE, HASH_KEY)
    assert take_in(params, get_settings(), engine=engine).outcome == "duplicate"
    again = FormParams({"MessageSid": ["SMq"], "From": [PHONE], "Body": ["une question"], "NumMedia": ["0"]})
    assert take_in(again, get_settings(), engine=engine).outcome == "opted_out"
    assert len(client.requests) == 1  # only the STOP confirmation
