"""A CCAS agent books for a resident from the desk; the resident cancels by SMS, through the
real SMS webhook (signed as Twilio signs), the trained bot and the action server; the
prescripteur's list shows it cancelled. The desk runs in this process on the live bot's
database; every SMS goes through the twilio library to the same recorded HTTP edge."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.booking.models import Appointment, AppointmentStatus
from bot.db import make_engine, session_scope
from bot.desk import create_app
from bot.desk.accounts import create_user
from bot.settings import reload_settings
from bot.sms import outbound
from bot.tickets.models import Ticket
from tests.desk.conftest import PASSWORD
from tests.desk.test_prescriptions import FORM, book, logged_in
from tests.sms.live import new_sms, sms_to, text
from tests.support.twilio_edge import RecordingHttpClient

pytestmark = pytest.mark.model
PHONE, PHONE_TYPED = "+33612349071", "06 12 34 90 71"


def test_a_prescribed_appointment_is_cancelled_by_the_residents_annuler_sms(live_bot, monkeypatch):
    bot = live_bot
    for name in ("DATABASE_URL", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM_NUMBER", "TWILIO_RECORD_FILE"):
        monkeypatch.setenv(name, bot.env[name])
    monkeypatch.setenv("DESK_COOKIE_SECURE", "false")
    outbound.set_default_http_client(RecordingHttpClient())  # appends to the live bot's record file
    engine = make_engine(bot.env["DATABASE_URL"])
    try:
        app = create_app(reload_settings())
        app.config["TESTING"] = True
        with session_scope(engine) as s:
            create_user(
                s, email="agent.live@ccas-metz.fr", password=PASSWORD, role="prescripteur", structure="CCAS de Metz"
            )
        client = logged_in(app, "agent.live@ccas-metz.fr")
        response, _key = book(client, {**FORM, "telephone": PHONE_TYPED})
        assert response.status_code == 302
        confirmation = sms_to(bot, PHONE)
        assert len(confirmation) == 1 and "Rendez-vous confirm" in confirmation[0]

        before = len(sms_to(bot, PHONE))
        assert text(bot, PHONE, "ANNULER").status == 200
        replies = new_sms(bot, PHONE, before)
        assert any("annul" in reply.lower() for reply in replies), replies
        with session_scope(engine) as s:
            ticket = s.execute(select(Ticket).where(Ticket.prescriber_structure == "CCAS de Metz")).scalar_one()
            assert s.get(Appointment, ticket.appointment_id).status == AppointmentStatus.EXCUSED
            assert ticket.status == "clos"
        assert "Annulé par la personne" in client.get("/prescriptions").get_data(as_text=True)
    finally:
        outbound.set_default_http_client(None)
        engine.dispose()
        monkeypatch.undo()
        reload_settings()
