"""`python -m bot purge`: what is past its time goes, the rest stays, twice is once."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from bot.booking.models import AppointmentStatus
from bot.data_rights.retention import RetentionPolicy, purge
from bot.db import session_scope
from bot.residents import Resident, sms_conversation_id
from bot.settings import ROOT, get_settings
from bot.sms.models import InboundMessage, OutboundMessage
from bot.staff.models import AuditEntry, LoginAttempt
from bot.tickets.models import Ticket
from bot.web.deliveries import KEEP, WebDelivery
from tests.privacy.conftest import person, save
from tests.support.live_bot import TEST_SECRETS

HASH_KEY = TEST_SECRETS["HASH_KEY"]

OLD, RECENT = "+33611111111", "+33622222222"


def event_senders(engine) -> set[str]:
    with engine.connect() as conn:
        return {row[0] for row in conn.execute(sa.text("SELECT DISTINCT sender_id FROM events"))}


def test_purge_removes_an_old_conversation_and_leaves_a_recent_one(privacy_db, tracker_store):
    now = datetime.now(timezone.utc)
    days = get_settings().retention_conversation_days
    save(tracker_store, "sms:old", ["ma question d'il y a longtemps"], at=now - timedelta(days=days + 5))
    save(tracker_store, "sms:recent", ["ma question de ce matin"], at=now - timedelta(hours=3))
    # A conversation that started long ago but went on recently is kept whole.
    save(tracker_store, "sms:ongoing", ["début"], at=now - timedelta(days=days + 30))
    save(tracker_store, "sms:other", ["x"])
    with privacy_db.begin() as conn:
        conn.execute(sa.text("UPDATE events SET sender_id = 'sms:ongoing' WHERE sender_id = 'sms:other'"))

    with session_scope(privacy_db) as session:
        report = purge(session, policy=RetentionPolicy.of(get_settings()))
    assert report.conversations == 1 and report.conversation_events == 4
    assert event_senders(privacy_db) == {"sms:recent", "sms:ongoing"}

    with session_scope(privacy_db) as session:
        again = purge(session, policy=RetentionPolicy.of(get_settings()))
    assert again.as_dict() == {key: 0 for key in again.as_dict()}


def test_purge_anonymises_old_tickets_sms_and_residents_and_keeps_recent_ones(privacy_db, place_and_permanence):
    settings = get_settings()
    now = datetime.now(timezone.utc)
    with session_scope(privacy_db) as session:
        old, old_rdv, old_ticket = person(session, *place_and_permanence, OLD, "Odile", "ancien", days=3)
        new, new_rdv, new_ticket = person(session, *place_and_permanence, RECENT, "Nina", "recent", days=4)
        old_rdv.status = AppointmentStatus.SEEN  # her appointment took place long ago
        old_ticket.created_at = now - timedelta(days=settings.retention_ticket_days + 1)
        old.last_seen_at = now - timedelta(days=settings.retention_ticket_days + 1)
        for message in session.execute(
            sa.select(OutboundMessage).where(OutboundMessage.ticket_id == old_ticket.id)
        ).scalars():
            message.created_at = now - timedelta(days=settings.retention_sms_days + 1)
        for row in session.execute(
            sa.select(InboundMessage).where(InboundMessage.from_hash == old.phone_hash)
        ).scalars():
            row.received_at = now - timedelta(days=settings.retention_sms_days + 1)
        old_ids = old.id, old_ticket.id
        new_ids = new.id, new_ticket.id

    with session_scope(privacy_db) as session:
        report = purge(session, policy=RetentionPolicy.of(get_settings()))
    assert report.tickets_anonymised == 1 and report.residents_anonymised == 1
    assert report.sms_sent_anonymised == 1 and report.sms_received_deleted == 1

    with session_scope(privacy_db) as session:
        old, old_ticket = session.get(Resident, old_ids[0]), session.get(Ticket, old_ids[1])
        assert old.phone_e164 is None and old.first_name is None and old.phone_hash is None
        assert old.conversation_id != sms_conversation_id(OLD, HASH_KEY)
        assert old_ticket.transcript_excerpt is None and "besoin" not in old_ticket.triage
        assert old_ticket.thematique == "email" and old_ticket.status == "nouveau"
        assert old_ticket.activity_report == {
            "thematiques": ["email"],
            "materiel": "telephone",
            "lieu": old_ticket.activity_report["lieu"],
        }
        sent = session.execute(sa.select(OutboundMessage).where(OutboundMessage.ticket_id == old_ids[1])).scalar_one()
        assert sent.to_e164 is None and "Odile" not in sent.body and sent.status
        new, new_ticket = session.get(Resident, new_ids[0]), session.get(Ticket, new_ids[1])
        assert new.phone_e164 == RECENT and new.first_name == "Nina"
        assert new_ticket.transcript_excerpt == "je m'appelle Nina recent" and new_ticket.triage["besoin"]
        recent_sms = session.execute(
            sa.select(OutboundMessage).where(OutboundMessage.ticket_id == new_ids[1])
        ).scalar_one()
        assert recent_sms.to_e164 == RECENT and "Nina" in recent_sms.body
        assert session.execute(sa.select(sa.func.count()).select_from(InboundMessage)).scalar_one() == 1

    with session_scope(privacy_db) as session:
        again = purge(session, policy=RetentionPolicy.of(get_settings()))
    assert again.as_dict() == {key: 0 for key in again.as_dict()}


def test_purge_deletes_the_desks_old_login_attempts_and_audit_entries(privacy_db):
    now = datetime.now(timezone.utc)
    long_ago = now - timedelta(days=get_settings().retention_desk_log_days + 1)
    with session_scope(privacy_db) as session:
        for at in (long_ago, now - timedelta(days=2)):
            session.add(LoginAttempt(at=at, email="conseiller@mairie-metz.fr", ip="192.0.2.7", success=False))
            session.add(
                AuditEntry(
                    at=at,
                    user_email="conseiller@mairie-metz.fr",
                    ip="192.0.2.7",
                    action="view",
                    target="ticket",
                    target_id="1",
                )
            )

    with session_scope(privacy_db) as session:
        report = purge(session, policy=RetentionPolicy.of(get_settings()))
    assert report.desk_login_attempts_deleted == 1 and report.desk_audit_entries_deleted == 1
    with session_scope(privacy_db) as session:
        kept = [row.at for row in session.execute(sa.select(LoginAttempt)).scalars()]
        kept += [row.at for row in session.execute(sa.select(AuditEntry)).scalars()]
    assert len(kept) == 2 and all(now - at.replace(tzinfo=at.tzinfo or timezone.utc) < timedelta(days=3) for at in kept)

    with session_scope(privacy_db) as session:
        again = purge(session, policy=RetentionPolicy.of(get_settings()))
    assert again.as_dict() == {key: 0 for key in again.as_dict()}


def test_purge_deletes_the_widgets_stored_answers_after_a_day(privacy_db):
    now = datetime.now(timezone.utc)
    with session_scope(privacy_db) as session:
        session.add(
            WebDelivery(
                sender="web:old",
                message_id="m-old-0001",
                answer=[{"text": "x"}],
                received_at=now - KEEP - timedelta(minutes=1),
            )
        )
        session.add(
            WebDelivery(
                sender="web:new",
                message_id="m-new-0001",
                answer=[{"text": "y"}],
                received_at=now - timedelta(minutes=5),
            )
        )
    with session_scope(privacy_db) as session:
        assert purge(session, policy=RetentionPolicy.of(get_settings())).web_answers_deleted == 1
    with session_scope(privacy_db) as session:
        assert session.execute(sa.select(WebDelivery.sender)).scalars().all() == ["web:new"]


@pytest.mark.processes
def test_purge_command_prints_its_counts(privacy_db):
    env = {**os.environ, "DATABASE_URL": str(privacy_db.url.render_as_string(hide_password=False))}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "purge"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "purge: conversations=0" in result.stdout and "desk_audit_entries_deleted=0" in result.stdout
    assert "purge: .venv-desk/bin/python -m bot purge --every 86400" in (ROOT / "Procfile").read_text()
