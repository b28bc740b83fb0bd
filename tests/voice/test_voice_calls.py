"""The phone line end to end: the real Rasa server and action server, the trained model,
calls signed as Twilio signs them, TwiML parsed, SMS captured at the Twilio HTTP edge."""

from __future__ import annotations

import re

from sqlalchemy import delete, select
from sqlalchemy import text as text_sql

from bot.answers.places import today_at
from bot.booking.models import Appointment
from bot.booking.slots import is_public_holiday
from bot.db import make_engine, session_scope
from bot.places.models import Closure, Place
from bot.privacy.hashing import phone_hash
from bot.residents import Resident, sms_conversation_id
from bot.sms.models import OutboundMessage
from bot.tickets.models import Ticket
from bot.triage.answers import plain
from bot.voice.models import VoiceCall
from tests.sms.live import new_sms, post, sms_to, text, twilio_signature
from tests.support.live_bot import PUBLIC_URL, TEST_SECRETS
from tests.support.twilio_edge import recorded
from tests.voice.conftest import MAX_TURNS, TRANSFER_NUMBER, TRANSFER_PLACE
from tests.voice.live import GATHER, INCOMING, STATUS, Call, Twiml, call_params, new_call_sid

HASH_KEY = TEST_SECRETS["HASH_KEY"]

URL_READ = re.compile(r"https?://|www\.|\.fr\b|\.com\b|\.gouv\b", re.IGNORECASE)


def number(n: int) -> str:
    return f"+3362{n:07d}"


def engine_of(bot):
    return make_engine(bot.env["DATABASE_URL"])


def check(twiml: Twiml) -> Twiml:
    """What every answer must be: 200, French everywhere, the channel's action URL, no URL read."""
    assert twiml.status == 200, twiml.body
    root = twiml.root
    assert root.tag == "Response" and root.find(".//Record") is None
    for say in twiml.says:
        assert say.get("language") == "fr-FR", twiml.body
        assert not URL_READ.search(say.text or ""), say.text
    for gather in root.iter("Gather"):
        assert gather.get("language") == "fr-FR" and gather.get("input") == "speech dtmf"
        assert gather.get("action") == PUBLIC_URL + GATHER and gather.get("method") == "POST"
        assert gather.get("actionOnEmptyResult") == "true"
    assert twiml.gather is not None or twiml.hangs_up or twiml.dial is not None, twiml.body
    return twiml


def test_a_call_is_greeted_in_french_with_the_notice_and_hints(voice_bot):
    call = Call(voice_bot, number(1))
    first = check(call.start())
    assert "supprimer mes données" in first.said and "pas enregistré" in first.said
    assert "Posez votre question" in first.said
    hints = first.gather.get("hints")
    for word in ("Mairie de quartier de Borny", "Borny", "mardi", "rendez-vous", "annuler", "conseiller", "e-mail"):
        assert word in hints
    call.status("completed", "12")
    again = check(Call(voice_bot, number(1)).start())  # a second call: no notice again
    assert "supprimer mes données" not in again.said and "Posez votre question" in again.said
    engine = engine_of(voice_bot)
    with session_scope(engine) as s:
        rows = (
            s.execute(select(VoiceCall).where(VoiceCall.conversation_id == sms_conversation_id(number(1), HASH_KEY)))
            .scalars()
            .all()
        )
        assert len(rows) == 2 and {r.status for r in rows} == {"completed", "in-progress"}
        assert all(r.caller_hash == phone_hash(number(1), HASH_KEY) for r in rows)
        assert next(r for r in rows if r.status == "completed").duration_seconds == 12
    engine.dispose()


def test_forged_or_unsigned_requests_get_403_and_bad_fields_400(voice_bot):
    phone, sid = number(2), new_call_sid()
    params = call_params(sid, phone, SpeechResult="je veux un rendez-vous", Confidence="0.9")
    internal = f"http://127.0.0.1:{voice_bot.rasa_port}"
    attempts = [
        post(voice_bot, INCOMING, call_params(sid, phone), signature=None),
        post(voice_bot, GATHER, params, signature=None),
        post(voice_bot, GATHER, params, signature="bm90IGEgc2lnbmF0dXJl"),
        post(voice_bot, GATHER, params, signature=twilio_signature(GATHER, params, token="someone-else")),
        post(voice_bot, GATHER, params, signature=twilio_signature(GATHER, params, base=internal)),
        post(voice_bot, GATHER, params, tamper={"SpeechResult": "annuler"}),
        post(voice_bot, STATUS, call_params(sid, phone, CallStatus="completed"), signature=None),
        post(
            voice_bot,
            "/webhooks/twilio_voice/dialed",
            call_params(sid, phone, DialCallStatus="no-answer"),
            signature=None,
        ),
    ]
    assert [a.status for a in attempts] == [403] * len(attempts)
    engine = engine_of(voice_bot)
    with session_scope(engine) as s:
        assert s.execute(select(VoiceCall).where(VoiceCall.call_sid == sid)).first() is None
        assert s.execute(select(Resident).where(Resident.phone_hash == phone_hash(phone, HASH_KEY))).first() is None
    engine.dispose()
    bad = [
        call_params("CA123", phone),
        call_params("CA" + "G" * 32, phone),
        call_params(sid.upper().replace("CA", "CA", 1)[:2] + sid[2:].upper(), phone),
        call_params(sid, phone, Digits="12abc"),
        call_params(sid, phone, Confidence="très sûr"),
        call_params(sid, phone, Confidence="7"),
        call_params(sid, phone, CallStatus="exploded"),
    ]
    answers = [post(voice_bot, GATHER, p).status for p in bad]
    assert answers == [400] * len(bad)
    with session_scope(engine) as s:
        assert s.execute(select(VoiceCall).where(VoiceCall.call_sid == sid)).first() is None
    engine.dispose()


def test_a_question_is_answered_aloud_and_its_links_come_by_sms(voice_bot):
    phone = number(3)
    call = Call(voice_bot, phone)
    check(call.start())
    before = len(sms_to(voice_bot, phone))
    answer = check(call.say("j'ai été victime d'une escroquerie sur internet"))
    assert "le lien que je vous envoie par SMS" in answer.said
    assert "Le SMS vient du zéro sept, zéro zéro" in answer.said  # the number that texts
    sent = new_sms(voice_bot, phone, before)
    assert len(sent) == 1 and re.search(r"\w+\.gouv\.fr", sent[0])
    engine = engine_of(voice_bot)
    with session_scope(engine) as s:
        purposes = (
            s.execute(select(OutboundMessage.purpose).where(OutboundMessage.to_hash == phone_hash(phone, HASH_KEY)))
            .scalars()
            .all()
        )
        assert purposes == ["voice_link"]
    engine.dispose()


def answer_the_triage(call: Call, first: Twiml) -> Twiml:
    """Answer each triage question the way a caller would, until the slots are offered."""
    current = first
    for _ in range(14):
        said = plain(current.said)
        if "voici les prochains rendez-vous" in said:
            return current
        if "pour quoi avez-vous besoin" in said:
            current = check(call.say("j'ai oublié le mot de passe de ma messagerie"))
        elif "quel appareil" in said:
            current = check(call.key("2"))
        elif "adresse e-mail" in said:
            current = check(call.say("oui"))
        elif "identifiants" in said:
            current = check(call.key("2"))
        elif "quartier" in said:
            current = check(call.say("Borny"))
        elif "quand preferez-vous" in said:
            current = check(call.say("peu importe"))
        elif "prenom" in said:
            current = check(call.say("Marie"))
        elif "besoin particulier" in said:
            current = check(call.key("1"))
        elif "numero de portable" in said:
            current = check(call.key("0612345678#"))
        else:
            raise AssertionError(f"unexpected question: {current.said}")
    raise AssertionError("no slot offered")


def test_a_complete_booking_by_voice_then_cancelled_by_sms(voice_bot):
    phone = number(4)
    call = Call(voice_bot, phone)
    check(call.start())
    intro = check(call.say("je voudrais un rendez-vous avec un conseiller"))
    assert "quelques questions courtes" in intro.said
    offer = answer_the_triage(call, intro)
    assert "Tapez 1 ou dites" in offer.said and "Tapez 3 ou dites" in offer.said
    assert offer.gather.get("numDigits") == "1"
    before = len(sms_to(voice_bot, phone))
    confirmed = check(call.key("1"))
    said = confirmed.said
    assert said.count("Rendez-vous confirmé") == 2 and "Je répète" in said and "dites annuler" in said
    assert "par SMS" in said
    sms = new_sms(voice_bot, phone, before)
    assert len(sms) == 1 and sms[0].startswith("Rendez-vous confirm") and "ANNULER" in sms[0]

    when = check(call.say("quand est mon rendez-vous"))
    assert "Votre rendez-vous" in when.said
    call.status("completed", "180")

    engine = engine_of(voice_bot)
    with session_scope(engine) as s:
        resident = s.execute(
            select(Resident).where(Resident.conversation_id == sms_conversation_id(phone, HASH_KEY))
        ).scalar_one()
        appointment = s.execute(select(Appointment).where(Appointment.resident_id == resident.id)).scalar_one()
        assert appointment.status == "booked"
        ticket = s.execute(select(Ticket).where(Ticket.appointment_id == appointment.id)).scalar_one()
        assert ticket.resident_id == resident.id
    # The same person texts ANNULER: the same conversation, the appointment made by phone goes.
    before = len(sms_to(voice_bot, phone))
    assert text(voice_bot, phone, "ANNULER").status == 200
    replies = new_sms(voice_bot, phone, before)
    assert any("annule" in plain(r) for r in replies), replies
    with session_scope(engine) as s:
        assert s.get(Appointment, appointment.id).status == "excused"
    engine.dispose()


def test_a_hang_up_in_the_middle_of_the_questions_resumes_on_the_next_call(voice_bot):
    phone = number(5)
    call = Call(voice_bot, phone)
    check(call.start())
    check(call.say("je veux un rendez-vous"))
    question = check(call.say("pour faire ma déclaration d'impôts"))
    assert "Quel appareil" in question.said
    call.status("completed", "40")
    back = check(Call(voice_bot, phone).start())
    assert "Reprenons" in back.said and "Quel appareil" in back.said and "Tapez 1 ou dites : Ordinateur" in back.said


def test_a_low_confidence_slot_choice_or_cancellation_is_confirmed_before_acting(voice_bot):
    phone = number(6)
    call = Call(voice_bot, phone)
    check(call.start())
    check(call.say("je veux un rendez-vous"))
    offer = answer_the_triage(call, check(call.say("j'ai un souci avec ma boîte mail")))
    # A slot said, but the recognizer is unsure: confirmed before booking.
    unsure_slot = check(call.say("le deuxième", confidence=0.28))
    assert "Vous avez dit : le deuxième" in unsure_slot.said and "Tapez 1 ou dites oui" in unsure_slot.said
    booked = check(call.say("oui"))
    assert "Rendez-vous confirmé" in booked.said
    engine = engine_of(voice_bot)
    with session_scope(engine) as s:
        resident = s.execute(
            select(Resident).where(Resident.conversation_id == sms_conversation_id(phone, HASH_KEY))
        ).scalar_one()
        appointment_id = s.execute(select(Appointment.id).where(Appointment.resident_id == resident.id)).scalar_one()
    unsure = check(call.say("annuler mon rendez-vous", confidence=0.31))
    assert "Vous avez dit : annuler mon rendez-vous" in unsure.said and "Tapez 1" in unsure.said
    with session_scope(engine) as s:
        assert s.get(Appointment, appointment_id).status == "booked"  # nothing done yet
    done = check(call.key("1"))
    assert "annulé" in done.said
    with session_scope(engine) as s:
        assert s.get(Appointment, appointment_id).status == "excused"
    engine.dispose()
    assert offer  # the offer was heard before


def test_silence_is_repeated_once_then_goodbye_with_an_sms_of_how_to_get_help(voice_bot):
    phone = number(7)
    call = Call(voice_bot, phone)
    greeting = check(call.start())
    before = len(sms_to(voice_bot, phone))
    first = check(call.silence())
    assert "Je ne vous entends pas" in first.said and "Posez votre question" in first.said
    assert first.gather is not None
    second = check(call.silence())
    assert second.hangs_up and second.gather is None and "Au revoir" in second.said
    sent = new_sms(voice_bot, phone, before)
    assert len(sent) == 1 and "RDV" in sent[0]
    assert greeting


def test_speech_not_understood_twice_offers_the_keypad_menu(voice_bot):
    call = Call(voice_bot, number(8))
    check(call.start())
    first = check(call.say("blorg fnu zzz"))
    assert "le dire autrement" in first.said
    menu = check(call.say("xkcd wub plonk"))
    assert "Tapez 1 pour poser une question" in menu.said and "Tapez 2 pour un rendez-vous" in menu.said
    assert "Tapez 3 pour parler à un conseiller" in menu.said
    booking = check(call.key("2"))
    assert "quelques questions courtes" in booking.said


def _set_closure(bot, closed: bool) -> bool:
    """Close (or open) the transfer place today; whether today is a permanence day there."""
    engine = engine_of(bot)
    with session_scope(engine) as s:
        place = s.execute(select(Place).where(Place.slug == TRANSFER_PLACE)).scalar_one()
        s.execute(delete(Closure).where(Closure.place_id == place.id))
        today = today_at(place)  # the place's date, as the line sees it (from 23:00 UTC, Paris is a day ahead)
        if closed:
            s.add(Closure(place_id=place.id, start_date=today, end_date=today, reason="test"))
        holiday = is_public_holiday(place, today)
    engine.dispose()
    return not holiday


def test_a_person_is_asked_for_during_the_permanence_the_call_is_transferred(voice_bot):
    open_today = _set_closure(voice_bot, closed=False)
    call = Call(voice_bot, number(9))
    check(call.start())
    answer = check(call.key("0"))
    if not open_today:  # a public holiday: no permanence, a call-back
        assert "rappeler" in answer.said
        return
    dial = answer.dial
    assert dial is not None and dial.find("Number").text == TRANSFER_NUMBER
    assert dial.get("action") == PUBLIC_URL + "/webhooks/twilio_voice/dialed"
    assert "Je vous passe un conseiller" in answer.said
    # Nobody picks up: a call-back ticket instead.
    missed = check(call.dial_ended("no-answer"))
    assert "Personne n'a pu répondre" in missed.said and "rappeler" in missed.said
    engine = engine_of(voice_bot)
    with session_scope(engine) as s:
        resident = s.execute(
            select(Resident).where(Resident.phone_hash == phone_hash(number(9), HASH_KEY))
        ).scalar_one()
        tickets = s.execute(select(Ticket).where(Ticket.resident_id == resident.id)).scalars().all()
        assert [t.route for t in tickets] == ["rappel"]
    engine.dispose()


def test_outside_the_permanence_a_call_back_ticket_and_when_someone_will_call(voice_bot):
    _set_closure(voice_bot, closed=True)
    try:
        phone = number(10)
        call = Call(voice_bot, phone)
        check(call.start())
        answer = check(call.say("je voudrais parler à quelqu'un"))
        assert answer.dial is None and answer.hangs_up
        assert "Un conseiller va vous rappeler au zéro six, vingt" in answer.said and "à partir de" in answer.said
        engine = engine_of(voice_bot)
        with session_scope(engine) as s:
            resident = s.execute(
                select(Resident).where(Resident.phone_hash == phone_hash(phone, HASH_KEY))
            ).scalar_one()
            tickets = s.execute(select(Ticket).where(Ticket.resident_id == resident.id)).scalars().all()
            assert [(t.route, t.status, t.appointment_id) for t in tickets] == [("rappel", "nouveau", None)]
            assert "parler" in tickets[0].transcript_excerpt
        engine.dispose()
        again = Call(voice_bot, phone)
        check(again.start())
        assert "déjà notée" in check(again.key("0")).said  # one ticket, not two
    finally:
        _set_closure(voice_bot, closed=False)


def test_a_hidden_number_gets_answers_and_gives_a_number_for_the_call_back(voice_bot):
    _set_closure(voice_bot, closed=True)
    try:
        call = Call(voice_bot, "anonymous")
        check(call.start())
        answer = check(call.say("comment changer le mot de passe de ma boîte mail"))
        assert answer.said and "le lien que je vous envoie" not in answer.said  # no SMS to send to
        asked = check(call.key("0"))
        assert "il me faut votre numéro" in asked.said and asked.gather.get("numDigits") is None
        wrong = check(call.key("12#"))
        assert "ne semble pas correct" in wrong.said
        done = check(call.key("0612345699#"))
        assert "Un conseiller va vous rappeler au zéro six, douze" in done.said
        engine = engine_of(voice_bot)
        with session_scope(engine) as s:
            row = s.execute(select(VoiceCall).where(VoiceCall.call_sid == call.sid)).scalar_one()
            assert row.conversation_id.startswith("voice:") and row.caller_hash is None
            resident = s.execute(select(Resident).where(Resident.conversation_id == row.conversation_id)).scalar_one()
            assert resident.phone_e164 == "+33612345699"
            assert s.execute(select(Ticket.route).where(Ticket.resident_id == resident.id)).scalars().all() == [
                "rappel"
            ]
        engine.dispose()
    finally:
        _set_closure(voice_bot, closed=False)


def test_very_long_calls_are_ended_politely(voice_bot):
    phone = number(11)
    call = Call(voice_bot, phone)
    check(call.start())
    before = len(sms_to(voice_bot, phone))
    last = None
    for _ in range(MAX_TURNS + 1):
        last = check(call.say("merci"))
        if last.hangs_up:
            break
    assert last.hangs_up and "Notre appel est long" in last.said
    assert len(new_sms(voice_bot, phone, before)) == 1


def test_the_contact_keyword_by_sms(voice_bot):
    phone = number(12)
    text(voice_bot, phone, "bonjour")
    before = len(sms_to(voice_bot, phone))
    assert text(voice_bot, phone, "CONTACT").status == 200
    sent = new_sms(voice_bot, phone, before)
    assert len(sent) == 1 and "03 87 55 50 00" in sent[0] and "Ville de Metz" in sent[0] and "STOP" in sent[0]
    assert recorded(voice_bot.twilio_record_file)


def test_what_the_recognizer_heard_is_screened_like_an_sms(voice_bot):
    phone = number(13)
    call = Call(voice_bot, phone)
    check(call.start())
    answer = check(call.say("ma carte bancaire c'est le 4111 1111 1111 1111 on me l'a volée"))
    assert "ne donnez jamais de numéro de carte" in answer.said
    engine = engine_of(voice_bot)
    with session_scope(engine) as s:
        events = (
            s.execute(
                text_sql("SELECT data FROM events WHERE sender_id = :c"), {"c": sms_conversation_id(phone, HASH_KEY)}
            )
            .scalars()
            .all()
        )
        # The card's digits as said, not inside the timestamps of Rasa's events (1796044111.5...).
        assert events and not any(re.search(r"(?<![\d.])4111[\s-]?1111", e) for e in events)
        assert any("[masqué]" in e or "[masqu\\u00e9]" in e for e in events)
    engine.dispose()


def test_a_hidden_caller_books_by_giving_a_mobile_number(voice_bot):
    call = Call(voice_bot, "+266696687")  # "anonymous", as some networks spell it
    check(call.start())
    offer = answer_the_triage(call, check(call.say("je veux prendre rendez-vous")))
    confirmed = check(call.key("1"))
    assert "Je répète" in confirmed.said
    assert any(s.startswith("Rendez-vous confirm") for s in sms_to(voice_bot, "+33612345678"))
    assert offer


def test_no_sms_of_links_to_a_number_that_said_stop(voice_bot):
    phone = number(14)
    text(voice_bot, phone, "bonjour")
    text(voice_bot, phone, "STOP")
    before = len(sms_to(voice_bot, phone))
    call = Call(voice_bot, phone)
    check(call.start())
    answer = check(call.say("j'ai été victime d'une escroquerie sur internet"))
    assert "je vous envoie" not in answer.said and "point gouv point fr" in answer.said
    assert new_sms(voice_bot, phone, before) == []


def test_a_landline_hears_the_site_name_and_gets_no_sms(voice_bot):
    phone = "+33387111111"  # a Metz landline
    call = Call(voice_bot, phone)
    check(call.start())
    answer = check(call.say("j'ai été victime d'une escroquerie sur internet"))
    assert "point gouv point fr" in answer.said and "SMS vient" not in answer.said
    assert sms_to(voice_bot, phone) == []


def test_python_m_bot_call_talks_to_the_line_from_a_terminal(voice_bot):
    import subprocess
    import sys

    from bot.settings import ROOT

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "call",
            "--from",
            "0620000099",
            "--server",
            f"http://127.0.0.1:{voice_bot.rasa_port}",
        ],
        input="je veux un rendez-vous\n#2\n\n\n",
        cwd=ROOT,
        env=voice_bot.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert "ligne> Bonjour" in out and "quelques questions courtes" in out
    assert "Je ne vous entends pas" in out and "Je ne vous entends toujours pas" in out
    assert "sms> " in out  # the SMS of how to get help, after the silences
