"""From a question to a booked slot, a ticket, a move, one reminder and a cancellation,
through the trained bot, the real servers and the Twilio library's HTTP edge."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from bot.booking.models import Appointment, AppointmentStatus, SlotSeat
from bot.booking.timeutil import as_utc
from bot.db import make_engine, session_scope
from bot.sms.models import OutboundMessage
from bot.tickets.models import Ticket, TicketEvent, TicketStatus
from tests.support.twilio_edge import recorded


def sms_to(bot, number: str) -> list[dict]:
    return [r["data"] for r in recorded(bot.twilio_record_file) if r["data"].get("To") == number]


def test_question_then_appointment_by_triage_then_reminder_then_cancel(live_bot):
    bot, sender, phone = live_bot, "web:" + uuid.uuid4().hex, "+33612340001"
    say = lambda text: " ".join(bot.texts(sender, text))  # noqa: E731

    # A question first: answered, and its topic carried into the triage (no "besoin" question).
    assert "trombone" in say("je n'arrive pas à envoyer un mail avec une pièce jointe")
    start = say("je veux un rendez-vous")
    assert "questions courtes" in start and "appareil" in start
    assert "adresse e-mail" in say("2")  # téléphone
    assert "identifiants" in say("oui")
    assert "quartier" in say("non")
    assert "Quand" in say("j'habite à Borny")
    assert "prénom" in say("plutôt l'après-midi")
    assert "besoin particulier" in say("Marie")
    assert "portable" in say("1")  # no particular need
    offer = bot.say(sender, "06 12 34 00 01")
    offer_text = " ".join(m.get("text") or "" for m in offer)
    assert "1." in offer_text and "Borny" in offer_text, offer_text
    assert [b["payload"] for b in offer[-1]["buttons"]][:3] == ["1", "2", "3"]

    confirmation = say("1")
    assert "Rendez-vous confirmé" in confirmation and "Pour annuler, répondez ANNULER" in confirmation
    assert "téléphone et son chargeur" in confirmation

    # The confirmation SMS went out through the Twilio library, from our number.
    sent = sms_to(bot, phone)
    assert len(sent) == 1 and "Rendez-vous confirmé" in sent[0]["Body"]
    assert sent[0]["From"] == "+33700000000"
    assert sent[0]["StatusCallback"].endswith("/webhooks/twilio_sms/status")

    engine = make_engine(bot.env["DATABASE_URL"])
    with session_scope(engine) as s:
        ticket = s.execute(select(Ticket).order_by(Ticket.id.desc())).scalars().first()
        appointment = s.get(Appointment, ticket.appointment_id)
        assert ticket.status == "nouveau" and appointment.status == "booked"
        assert ticket.triage["materiel"] == "telephone" and ticket.triage["has_email"] == "oui"
        assert ticket.activity_report["materiel"] == "telephone"
        assert ticket.activity_report["autonomie"] == "partiellement_autonome"
        assert ticket.activity_report["type"] == "individuel"
        assert "Borny" in ticket.activity_report["lieu"]
        assert "06 12 34 00 01" in ticket.transcript_excerpt  # a phone number is not a secret
        # The transcript: from the question the triage carried, the assistant's questions and the answers.
        lines = ticket.transcript_excerpt.splitlines()
        assert lines[0] == "Vous : je n'arrive pas à envoyer un mail avec une pièce jointe", lines[:3]
        assert lines[1].startswith("Assistant : ") and "trombone" in lines[1]
        asked = next(i for i, line in enumerate(lines) if line.startswith("Assistant : ") and "appareil" in line)
        assert "2. Téléphone" in lines[asked] and lines[asked + 1] == "Vous : 2"
        assert "Vous : 06 12 34 00 01" in lines and lines[-1] == "Vous : 1"  # the slot chosen
        message = s.execute(select(OutboundMessage).where(OutboundMessage.ticket_id == ticket.id)).scalar_one()
        assert message.purpose == "confirmation" and message.status == "queued" and message.twilio_sid
        start = as_utc(appointment.start)
        ticket_id, appointment_id = ticket.id, appointment.id

    # Moving it: new slots offered, the old seat freed at once, the same ticket follows.
    moved = bot.say(sender, "je voudrais changer mon rendez-vous")
    assert "1." in " ".join(m.get("text") or "" for m in moved)
    assert "Rendez-vous confirmé" in say("1")
    with session_scope(engine) as s:
        assert s.get(Appointment, appointment_id).status == AppointmentStatus.EXCUSED
        assert s.execute(select(SlotSeat).where(SlotSeat.appointment_id == appointment_id)).first() is None
        ticket = s.get(Ticket, ticket_id)
        appointment = s.get(Appointment, ticket.appointment_id)
        assert appointment.status == "booked" and appointment.id != appointment_id
        start, appointment_id = as_utc(appointment.start), appointment.id

    # The reminder, run twice (as cron would) a day before, at the same wall time
    # (within opening hours, so never in the quiet hours): sent once.
    moment = (start - timedelta(hours=24)).isoformat()
    # (Other tests' appointments share this database: count this resident's reminders.)
    bot.run_cli("reminders", "--now", moment)
    assert "0 reminder(s) sent" in bot.run_cli("reminders", "--now", moment)
    reminders = [m for m in sms_to(bot, phone) if m["Body"].startswith("Rappel")]
    assert len(reminders) == 1

    assert "Votre rendez-vous" in say("c'est quand mon rendez-vous ?")
    assert "annulé" in say("ANNULER")
    with session_scope(engine) as s:
        assert s.get(Appointment, appointment_id).status == AppointmentStatus.EXCUSED
        assert s.get(Ticket, ticket_id).status == TicketStatus.CLOS
        kinds = [e.kind for e in s.execute(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id)).scalars()]
        assert kinds == ["created", "moved", "cancelled", "status"]  # moved, then cancelled: closed
        assert s.execute(select(SlotSeat).where(SlotSeat.appointment_id == appointment_id)).first() is None
    assert "pas de rendez-vous" in say("c'est quand mon rendez-vous ?")
    engine.dispose()


def test_autre_offers_other_slots_and_stop_leaves_the_triage(live_bot):
    bot, sender = live_bot, "web:" + uuid.uuid4().hex
    say = lambda text: " ".join(bot.texts(sender, text))  # noqa: E731
    say("je voudrais un rdv")
    for answer in ("passer", "passer", "passer", "passer", "57000", "passer", "passer", "passer"):
        say(answer)
    first = say("passer")
    assert "1." in first and ("CCAS" in first or "Médiathèque" in first), first
    second = say("autre")
    assert "d'autres horaires" in second
    first_lines = {line for line in first.splitlines() if line[:2] in ("1.", "2.", "3.")}
    second_lines = {line for line in second.splitlines() if line[:2] in ("1.", "2.", "3.")}
    assert first_lines and second_lines and not first_lines & second_lines
    assert "j'arrête" in say("stop")


def test_the_device_named_in_the_question_is_not_asked_again(live_bot):
    bot, sender = live_bot, "web:" + uuid.uuid4().hex
    say = lambda text: " ".join(bot.texts(sender, text))  # noqa: E731
    say("mon iphone ne s'allume plus du tout")
    start = say("je veux un rendez-vous")
    assert "questions courtes" in start and "appareil" not in start
    assert "adresse e-mail" in start, start  # the next question, about the e-mail


def test_asking_for_a_conseiller_during_the_questions_keeps_the_question(live_bot):
    bot, sender = live_bot, "web:" + uuid.uuid4().hex
    say = lambda text: " ".join(bot.texts(sender, text))  # noqa: E731
    say("je voudrais un rdv")
    assert "appareil" in say("mon ordinateur ne marche plus")
    reply = say("Je veux parler à un conseiller")  # the widget's header button, mid-triage
    assert "conseiller que je vous pose ces questions" in reply and "appareil" in reply
    assert "adresse e-mail" in say("1")  # the question is asked again, then answered


def test_a_resident_who_prefers_a_call_gets_a_ticket_without_appointment(live_bot):
    bot, sender = live_bot, "web:" + uuid.uuid4().hex
    say = lambda text: " ".join(bot.texts(sender, text))  # noqa: E731
    say("je voudrais un rdv")
    for answer in ("ma declaration d'impots", "passer", "passer", "passer", "57070", "passer", "Paul", "passer"):
        say(answer)
    offer = say("06 12 34 00 02")
    assert "RAPPEL" in offer
    assert "appeler" in say("rappelez-moi plutôt")
    engine = make_engine(bot.env["DATABASE_URL"])
    with session_scope(engine) as s:
        ticket = s.execute(select(Ticket).order_by(Ticket.id.desc())).scalars().first()
        assert ticket.route == "rappel" and ticket.appointment_id is None and ticket.status == "nouveau"
        assert "impots" in ticket.triage["besoin"] and "rappelez-moi" in ticket.transcript_excerpt
    engine.dispose()
