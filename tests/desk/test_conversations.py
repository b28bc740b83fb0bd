"""A conseiller in the conversation, from the desk: take over from the ticket, write, hand back;
who may open what; the inactivity and closed-ticket ends; the away notice; the inbox."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from bot.conversations import hold as holds
from bot.conversations import routing
from bot.conversations.models import ConversationHold, ConversationMessage
from bot.conversations.widget import held_messages
from bot.db import session_scope
from bot.residents import sms_conversation_id
from bot.settings import get_settings, reload_settings
from bot.sms.models import OutboundMessage
from bot.sms.outbound import SmsConfig
from bot.staff.models import AuditEntry, User
from bot.texts.holds import away_text, holder_text, resumed_text
from bot.tickets.models import Ticket, TicketEvent
from tests.desk.conftest import RESIDENT_PHONE, login, make_booked_ticket, make_user, post_form
from tests.support.live_bot import TEST_SECRETS

HASH_KEY = TEST_SECRETS["HASH_KEY"]

CONVERSATION = sms_conversation_id(RESIDENT_PHONE, HASH_KEY)


def logged_in(app, engine, email, role="conseiller", slug=None):
    make_user(engine, email, role, slug)
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


def sms_bodies(engine) -> list[str]:
    with session_scope(engine) as session:
        return [
            m.body
            for m in session.execute(
                select(OutboundMessage).where(OutboundMessage.to_e164 == RESIDENT_PHONE).order_by(OutboundMessage.id)
            ).scalars()
        ]


def the_hold(engine) -> ConversationHold:
    with session_scope(engine) as session:
        hold = holds.hold_row(session, CONVERSATION)
        session.expunge(hold)
        return hold


def take(app, engine, email="nadia@metz.fr", slug="nadia"):
    client = logged_in(app, engine, email, slug=slug)
    page = f"/conversations/voir?id={CONVERSATION}"
    assert client.get(page).status_code == 200
    answer = post_form(client, page, "/conversations/prendre", {"id": CONVERSATION})
    assert answer.status_code == 302
    return client, page


def test_from_the_ticket_a_conseiller_takes_over_writes_and_hands_back(app, desk_engine):
    ticket_id, _ = make_booked_ticket(desk_engine)
    client = logged_in(app, desk_engine, "nadia@metz.fr", slug="nadia")
    ticket_page = client.get(f"/tickets/{ticket_id}").get_data(as_text=True)
    assert (
        f"/conversations/voir?id={CONVERSATION}".replace(":", "%3A") in ticket_page
        or f"/conversations/voir?id={CONVERSATION}" in ticket_page
    )
    page = f"/conversations/voir?id={CONVERSATION}"
    assert "Prendre la conversation" in client.get(page).get_data(as_text=True)
    post_form(client, page, "/conversations/prendre", {"id": CONVERSATION, "ticket": str(ticket_id)})

    assert sms_bodies(desk_engine)[-1] == "Nadia, de l'equipe des conseillers numeriques, vous repond." or sms_bodies(
        desk_engine
    )[-1] == holder_text("Nadia")
    hold = the_hold(desk_engine)
    assert hold.active and hold.ticket_id == ticket_id

    # The resident's answer reaches the desk, not the assistant.
    route = asyncio.run(
        routing.route(
            CONVERSATION,
            "merci, je suis dispo mardi, ma carte 4111 1111 1111 1111",
            settings=get_settings(),
            engine=desk_engine,
        )
    )
    assert route.to_bot is False
    inbox = client.get("/conversations?filtre=attente").get_data(as_text=True)
    assert f"Conversation n° {hold.id}" in inbox
    shown = client.get(page).get_data(as_text=True)
    assert "je suis dispo mardi" in shown and "4111 1111 1111 1111" not in shown  # masked before storage

    post_form(client, page, f"/conversations/{hold.id}/ecrire", {"texte": "Très bien, à mardi 14 h."})
    assert sms_bodies(desk_engine)[-1].startswith("Tres bien") or sms_bodies(desk_engine)[-1].startswith("Très bien")
    post_form(client, page, f"/conversations/{hold.id}/rendre", {})
    assert sms_bodies(desk_engine)[-1] in (resumed_text(), "L'assistant reprend la conversation.")
    assert not the_hold(desk_engine).active
    assert (
        asyncio.run(routing.route(CONVERSATION, "bonjour", settings=get_settings(), engine=desk_engine)).to_bot is True
    )

    with session_scope(desk_engine) as session:
        kinds = [
            e.kind for e in session.execute(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id)).scalars()
        ]
        actions = [a.action for a in session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars()]
    assert {"conversation_taken", "conversation_message", "conversation_returned"} <= set(kinds)
    assert {"conversation_take", "conversation_message", "conversation_return"} <= set(actions)


def test_a_conseiller_cannot_open_another_places_conversation(app, desk_engine):
    make_booked_ticket(desk_engine)  # at the mairie de Borny (Nadia's)
    page = f"/conversations/voir?id={CONVERSATION}"
    thomas = logged_in(app, desk_engine, "thomas@metz.fr", slug="thomas")  # Bellecroix
    assert thomas.get(page).status_code == 404
    token_page = thomas.get("/conversations").get_data(as_text=True)
    assert CONVERSATION not in token_page
    from tests.desk.conftest import csrf_token

    answer = thomas.post("/conversations/prendre", data={"id": CONVERSATION, "csrf_token": csrf_token(token_page)})
    assert answer.status_code == 404
    assert the_hold(desk_engine) is None if False else True
    with session_scope(desk_engine) as session:
        assert holds.hold_row(session, CONVERSATION) is None
    coordinateur = logged_in(app, desk_engine, "coord@metz.fr", role="coordinateur")
    assert coordinateur.get(page).status_code == 200


def test_another_conseiller_cannot_write_in_a_held_conversation(app, desk_engine):
    make_booked_ticket(desk_engine)
    take(app, desk_engine)
    hold = the_hold(desk_engine)
    coordinateur = logged_in(app, desk_engine, "coord@metz.fr", role="coordinateur")
    before = len(sms_bodies(desk_engine))
    post_form(
        coordinateur, f"/conversations/voir?id={CONVERSATION}", f"/conversations/{hold.id}/ecrire", {"texte": "bonjour"}
    )
    assert len(sms_bodies(desk_engine)) == before


def test_the_hold_ends_after_human_hold_hours_without_activity(app, desk_engine):
    make_booked_ticket(desk_engine)
    take(app, desk_engine)
    with session_scope(desk_engine) as session:
        hold = holds.hold_row(session, CONVERSATION)
        hold.last_activity_at = datetime.now(timezone.utc) - timedelta(hours=get_settings().human_hold_hours, minutes=1)
    route = asyncio.run(routing.route(CONVERSATION, "vous êtes là ?", settings=get_settings(), engine=desk_engine))
    assert route.to_bot is True and route.notices == [resumed_text()]
    assert the_hold(desk_engine).end_reason == "inactivity"
    assert sms_bodies(desk_engine)[-1] == resumed_text()
    assert (
        asyncio.run(routing.route(CONVERSATION, "bonjour", settings=get_settings(), engine=desk_engine)).notices == []
    )  # told once


def test_a_configured_human_hold_hours_ends_the_hold_sooner(app, desk_engine, monkeypatch):
    make_booked_ticket(desk_engine)
    take(app, desk_engine)
    with session_scope(desk_engine) as session:
        hold = holds.hold_row(session, CONVERSATION)
        hold.last_activity_at = datetime.now(timezone.utc) - timedelta(hours=3)
    monkeypatch.setenv("HUMAN_HOLD_HOURS", "2")  # the default is 24: a 3-hour-old hold would still run
    try:
        route = asyncio.run(
            routing.route(CONVERSATION, "vous êtes là ?", settings=reload_settings(), engine=desk_engine)
        )
    finally:
        monkeypatch.delenv("HUMAN_HOLD_HOURS")
        reload_settings()
    assert route.to_bot is True and the_hold(desk_engine).end_reason == "inactivity"


def test_the_hold_ends_when_the_ticket_is_closed(app, desk_engine):
    ticket_id, _ = make_booked_ticket(desk_engine)
    take(app, desk_engine)
    with session_scope(desk_engine) as session:
        session.get(Ticket, ticket_id).status = "clos"
    assert asyncio.run(routing.route(CONVERSATION, "merci", settings=get_settings(), engine=desk_engine)).to_bot is True
    assert the_hold(desk_engine).end_reason == "ticket_closed"


def test_keywords_in_a_held_conversation_go_to_the_assistant_and_are_shown(app, desk_engine):
    make_booked_ticket(desk_engine)
    client, page = take(app, desk_engine)
    route = asyncio.run(routing.route(CONVERSATION, "Annuler", settings=get_settings(), engine=desk_engine))
    assert route.to_bot is True and route.kind == "keyword:annuler"
    erase = asyncio.run(
        routing.route(CONVERSATION, "SUPPRIMER MES DONNÉES", settings=get_settings(), engine=desk_engine)
    )
    assert erase.kind == "keyword:supprimer"
    routing.note_keyword(CONVERSATION, "aide", "AIDE", 24, engine=desk_engine, sms=SmsConfig.of(get_settings()))
    shown = client.get(page).get_data(as_text=True)
    assert "mot-clé ANNULER" in shown and "mot-clé SUPPRIMER" in shown and "mot-clé AIDE" in shown


def test_outside_the_places_hours_the_resident_is_told_when_someone_answers(app, desk_engine):
    make_booked_ticket(desk_engine)
    take(app, desk_engine)
    # Borny's permanence: Tu,Th 09:00-12:00,14:00-17:00. Monday 7 December 2026, 20:00 in Metz.
    monday_evening = datetime(2026, 12, 7, 19, 0, tzinfo=timezone.utc)
    with session_scope(desk_engine) as session:
        hold = holds.hold_row(session, CONVERSATION)
        hold.last_activity_at = monday_evening
        told = holds.resident_writes(session, hold, "bonsoir", now=monday_evening, settings=get_settings())
        assert told == [away_text("mardi 8 décembre à 9 h")]
        again = holds.resident_writes(session, hold, "encore moi", now=monday_evening, settings=get_settings())
        assert again == []  # once
        tuesday_morning = datetime(2026, 12, 8, 9, 30, tzinfo=timezone.utc)
        assert holds.next_opening(session, hold, tuesday_morning) is None  # open: no notice


def test_a_new_resident_message_notifies_the_holder_without_resident_data(app, desk_engine, monkeypatch):
    make_booked_ticket(desk_engine)
    take(app, desk_engine)
    sent = []
    from bot import mail

    monkeypatch.setenv("SMTP_HOST", "smtp.metz.test")
    get_settings.cache_clear()
    monkeypatch.setattr(mail, "send_email", lambda settings, to, subject, body: sent.append((to, subject, body)))
    try:
        asyncio.run(
            routing.route(
                CONVERSATION, "mon code est 123456 et je m'appelle Marie", settings=get_settings(), engine=desk_engine
            )
        )
        # unread already: no second e-mail
        asyncio.run(routing.route(CONVERSATION, "vous êtes là ?", settings=get_settings(), engine=desk_engine))
    finally:
        monkeypatch.setenv("SMTP_HOST", "")
        get_settings.cache_clear()
    assert len(sent) == 1
    to, subject, body = sent[0]
    assert to == ["nadia@metz.fr"] and "/conversations/" in body
    assert "Marie" not in body and "123456" not in body and "vous" in body


def test_the_widget_reads_the_conseillers_messages_of_its_conversation(app, desk_engine):
    sender = "web:6f1c2a4e-1111-4222-8333-444455556666"
    make_user(desk_engine, "coord@metz.fr", "coordinateur")
    with session_scope(desk_engine) as session:
        user = session.execute(select(User)).scalar_one()
        hold = holds.take_over(session, sender, user, hours=24, sms=SmsConfig.of(get_settings()))
        holds.conseiller_writes(
            session, hold, user, "Bonjour, je regarde votre question.", sms=SmsConfig.of(get_settings())
        )
    seen = held_messages(sender, 0, 24, engine=desk_engine, sms=SmsConfig.of(get_settings()))
    assert seen["held"] is True and seen["by"] == "Un conseiller"
    assert [m["text"] for m in seen["messages"]] == [
        holder_text("Un conseiller"),
        "Bonjour, je regarde votre question.",
    ]
    assert (
        held_messages(sender, seen["last"], 24, engine=desk_engine, sms=SmsConfig.of(get_settings()))["messages"] == []
    )
    assert held_messages(
        "web:00000000-0000-4000-8000-000000000000", 0, 24, engine=desk_engine, sms=SmsConfig.of(get_settings())
    ) == {
        "held": False,
        "by": None,
        "messages": [],
        "last": 0,
    }
    with session_scope(desk_engine) as session:
        assert session.execute(select(ConversationMessage)).scalars().first().conversation_id == sender


def test_export_erasure_and_retention_cover_held_conversations(app, desk_engine):
    from bot.data_rights.erasure import erase_phone
    from bot.data_rights.export import export_for_phone
    from bot.data_rights.retention import RetentionPolicy, purge

    make_booked_ticket(desk_engine)
    take(app, desk_engine)
    asyncio.run(routing.route(CONVERSATION, "je suis disponible jeudi", settings=get_settings(), engine=desk_engine))
    with session_scope(desk_engine) as session:
        held = export_for_phone(session, RESIDENT_PHONE, HASH_KEY)["held_conversations"]
        assert held[0]["held_by"] == "Nadia"
        assert "je suis disponible jeudi" in [m["text"] for m in held[0]["messages"]]
        erase_phone(session, RESIDENT_PHONE, HASH_KEY)
    with session_scope(desk_engine) as session:
        assert session.execute(select(ConversationMessage)).first() is None
        assert session.execute(select(ConversationHold)).first() is None

    # Retention: a hold's messages older than RETENTION_CONVERSATION_DAYS go, then the ended hold.
    make_booked_ticket(desk_engine, phone="+33612340000")
    other = sms_conversation_id("+33612340000", HASH_KEY)
    with session_scope(desk_engine) as session:
        user = session.execute(select(User)).scalars().first()
        hold = holds.take_over(session, other, user, hours=24, sms=SmsConfig.of(get_settings()))
        holds.hand_back(session, hold, user, sms=SmsConfig.of(get_settings()))
    later = datetime.now(timezone.utc) + timedelta(days=get_settings().retention_conversation_days + 1)
    with session_scope(desk_engine) as session:
        report = purge(session, now=later, policy=RetentionPolicy.of(get_settings()))
        assert report.held_messages_deleted == 2 and report.holds_deleted == 1
        assert purge(session, now=later, policy=RetentionPolicy.of(get_settings())).held_messages_deleted == 0
