"""New-ticket notifications to the place's conseiller: by e-mail through a real
SMTP server listening on 127.0.0.1, or by SMS; each ticket is notified once."""

from __future__ import annotations

import asyncore
import smtpd
import threading
from email import message_from_bytes, policy

import pytest
from sqlalchemy import select

from bot.cli.notify import main as notify_cli
from bot.db import session_factory, session_scope
from bot.desk.notify import notify_new_tickets
from bot.places.models import Conseiller
from bot.settings import get_settings, reload_settings
from bot.sms.models import OutboundMessage
from bot.staff.models import TicketNotification
from tests.desk.conftest import RESIDENT_PHONE, make_booked_ticket, make_user


class CollectingSMTPServer(smtpd.SMTPServer):
    """A real SMTP server (the standard library's) that keeps what it receives."""

    def __init__(self):
        self.socket_map: dict = {}
        self.received: list[dict] = []
        super().__init__(("127.0.0.1", 0), None, map=self.socket_map, decode_data=False)
        self.port = self.socket.getsockname()[1]
        self.thread = threading.Thread(
            target=asyncore.loop, kwargs={"timeout": 0.05, "map": self.socket_map}, daemon=True
        )
        self.thread.start()

    def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
        self.received.append(
            {"from": mailfrom, "to": rcpttos, "message": message_from_bytes(data, policy=policy.default)}
        )

    def stop(self):
        for channel in list(self.socket_map.values()):
            channel.close()
        self.thread.join(timeout=5)


@pytest.fixture
def smtp_server(monkeypatch, desk_env):
    server = CollectingSMTPServer()
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(server.port))
    monkeypatch.setenv("SMTP_FROM", "aide-numerique@metz.fr")
    monkeypatch.setenv("DESK_NOTIFY_CHANNEL", "email")
    reload_settings()
    yield server
    server.stop()


def test_a_new_ticket_is_emailed_once_to_the_places_conseiller(smtp_server, desk_engine):
    make_user(desk_engine, "nadia@metz.fr", "conseiller", "nadia")  # holds the Borny permanence
    ticket_id, _ = make_booked_ticket(desk_engine)
    factory = session_factory(desk_engine)
    assert notify_new_tickets(factory, get_settings()) == 1
    assert notify_new_tickets(factory, get_settings()) == 0  # idempotent: a second run sends nothing
    assert notify_cli([]) == 0  # the `python -m bot notify` job, on the same database
    assert len(smtp_server.received) == 1
    mail = smtp_server.received[0]
    assert mail["to"] == ["nadia@metz.fr"] and mail["from"] == "aide-numerique@metz.fr"
    body = mail["message"].get_content()
    assert mail["message"]["Subject"] == f"Nouveau ticket n° {ticket_id}"
    assert "Mairie de quartier de Borny" in body and f"/tickets/{ticket_id}" in body
    assert "12 34 99 99" not in body and "3399" not in body  # no resident phone number in an e-mail
    with session_scope(desk_engine) as session:
        row = session.execute(select(TicketNotification)).scalar_one()
        assert (row.ticket_id, row.channel, row.status) == (ticket_id, "email", "sent")


def test_an_unreachable_smtp_server_is_recorded_as_failed_not_retried_forever(monkeypatch, desk_env, desk_engine):
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", "1")  # nothing listens there
    reload_settings()
    make_user(desk_engine, "nadia@metz.fr", "conseiller", "nadia")
    make_booked_ticket(desk_engine)
    factory = session_factory(desk_engine)
    assert notify_new_tickets(factory, get_settings()) == 0
    with session_scope(desk_engine) as session:
        assert session.execute(select(TicketNotification.status)).scalar_one() == "failed"


def test_notification_by_sms_goes_to_the_conseillers_phone(monkeypatch, desk_env, desk_engine):
    monkeypatch.setenv("DESK_NOTIFY_CHANNEL", "sms")
    reload_settings()
    with session_scope(desk_engine) as session:
        session.execute(select(Conseiller).where(Conseiller.slug == "nadia")).scalar_one().phone_e164 = "+33698765432"
    ticket_id, _ = make_booked_ticket(desk_engine)
    factory = session_factory(desk_engine)
    assert notify_new_tickets(factory, get_settings()) == 1
    assert notify_new_tickets(factory, get_settings()) == 0
    with session_scope(desk_engine) as session:
        sent = session.execute(select(OutboundMessage).where(OutboundMessage.purpose == "notify")).scalars().all()
        assert len(sent) == 1 and sent[0].to_e164 == "+33698765432" and sent[0].to_e164 != RESIDENT_PHONE
        assert f"Nouveau ticket {ticket_id} :" in sent[0].body
