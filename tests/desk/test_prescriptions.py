"""Partners who book (prescripteurs): a CCAS agent books for a resident from the desk.

The resident gets the assistant's own confirmation SMS (recorded at the twilio library's
HTTP edge), is the resident of their number (conversation `sms:<keyed hash>`), cancels
with ANNULER as if they had booked it, and the prescripteur's list shows it; a
prescripteur sees nothing else of the desk; a STOPped number gets nothing and the
prescripteur is told; the last seat goes to one of two prescripteurs.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
import threading

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.booking import ActionCancelAppointment
from bot.booking.models import Appointment, AppointmentStatus
from bot.db import session_scope
from bot.desk import PUBLIC_ENDPOINTS, create_app
from bot.desk.accounts import AccountError, create_user
from bot.places.models import Permanence, Place
from bot.residents import Resident, sms_conversation_id
from bot.settings import ROOT, reload_settings
from bot.sms import outbound
from bot.sms.encoding import normalise
from bot.sms.opt_out import opt_out
from bot.staff.models import AuditEntry, User
from bot.texts.booking import confirmation_text
from bot.texts.desk import cancellation_by_prescriber_text
from bot.tickets.models import Ticket, TicketEvent
from tests.conftest import fresh_schema, load_city_places
from tests.desk.conftest import PASSWORD, csrf_token, login, make_booked_ticket, make_user
from tests.handoff.conftest import run, tracker
from tests.support.live_bot import TEST_SECRETS
from tests.support.twilio_edge import RecordingHttpClient

HASH_KEY = TEST_SECRETS["HASH_KEY"]

PHONE, PHONE_TYPED = "+33612340077", "06 12 34 00 77"
FORM = {
    "telephone": PHONE_TYPED,
    "prenom": "Josiane",
    "thematique": "email",
    "besoin": "Elle ne reçoit plus ses mails, mot de passe : Soleil2024",
    "materiel": "2",
    "has_email": "1",
    "has_login": "2",
    "preferred_time": "3",
    "accessibility": "1",
    "lieu": "",
    "quartier": "Borny",
}


def _twilio_env(monkeypatch, url: str) -> RecordingHttpClient:
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DESK_COOKIE_SECURE", "false")
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", "AC" + "1" * 32)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "token-of-the-tests")
    monkeypatch.setenv("TWILIO_FROM_NUMBER", "+33700000000")
    monkeypatch.setenv("TWILIO_MESSAGING_SERVICE_SID", "")
    monkeypatch.setenv("SMTP_HOST", "")
    edge = RecordingHttpClient()
    outbound.set_default_http_client(edge)
    return edge


@pytest.fixture
def desk(monkeypatch, sqlite_url):
    """The desk on a fresh database, Twilio on through the real library, faked at its HTTP edge."""
    engine = fresh_schema(sqlite_url)
    load_city_places(sqlite_url)
    edge = _twilio_env(monkeypatch, sqlite_url)
    app = create_app(reload_settings())
    app.config["TESTING"] = True
    for email, structure in (("agent@ccas-metz.fr", "CCAS de Metz"), ("as@departement57.fr", "Maison du Département")):
        with session_scope(engine) as s:
            create_user(s, email=email, password=PASSWORD, role="prescripteur", structure=structure)
    yield app, engine, edge
    outbound.set_default_http_client(None)
    engine.dispose()
    monkeypatch.undo()
    reload_settings()


def offered_slots(page: str) -> list[str]:
    return re.findall(r'name="creneau" value="([^"]+)"', page)


def hidden(page: str, name: str) -> str:
    return html.unescape(re.search(rf'name="{name}" value="([^"]*)"', page).group(1))


def search(client, form: dict = FORM):
    token = csrf_token(client.get("/prescriptions/nouvelle").get_data(as_text=True))
    return client.post("/prescriptions/nouvelle", data={**form, "etape": "chercher", "csrf_token": token})


def book(client, form: dict = FORM, choice: int = 0):
    """Search, then book the `choice`-th slot offered: (response, slot key)."""
    page = search(client, form).get_data(as_text=True)
    key = offered_slots(page)[choice]
    response = client.post(
        "/prescriptions/nouvelle",
        data={
            **form,
            "etape": "reserver",
            "creneau": key,
            "exclus": hidden(page, "exclus"),
            "csrf_token": csrf_token(page),
        },
    )
    return response, key


def logged_in(app, email: str = "agent@ccas-metz.fr"):
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


def test_a_prescripteur_booking_texts_the_resident_the_assistants_confirmation_and_names_the_prescriber(desk):
    app, engine, edge = desk
    client = logged_in(app)
    page = search(client).get_data(as_text=True)
    assert "Avez-vous une adresse e-mail ?" in page and "Mobilité (fauteuil, escaliers)" in page  # the bot's questions
    assert len(offered_slots(page)) >= 3 and "Borny" in page
    response, key = book(client)
    assert response.status_code == 302 and response.headers["Location"].endswith("/prescriptions")

    with session_scope(engine) as s:
        ticket = s.execute(select(Ticket)).scalar_one()
        user = s.execute(select(User).where(User.email == "agent@ccas-metz.fr")).scalar_one()
        appointment, resident = s.get(Appointment, ticket.appointment_id), s.get(Resident, ticket.resident_id)
        assert f"{appointment.permanence_id}@" in key and appointment.status == AppointmentStatus.BOOKED
        # The resident of their number: the conversation an SMS from them continues.
        assert resident.conversation_id == sms_conversation_id(PHONE, HASH_KEY) and resident.first_name == "Josiane"
        assert ticket.prescriber_user_id == user.id and ticket.prescriber_structure == "CCAS de Metz"
        prescribed = [e for e in ticket.events if e.kind == "prescribed"]
        assert len(prescribed) == 1 and prescribed[0].detail == {"user_id": user.id, "structure": "CCAS de Metz"}
        assert prescribed[0].actor == "agent@ccas-metz.fr (CCAS de Metz)"
        assert ticket.triage["materiel"] == "telephone" and ticket.triage["has_login"] == "non"
        assert ticket.triage["accessibility"] == "aucun" and ticket.thematique == "email"
        assert "Soleil2024" not in ticket.triage["besoin"] and "[masqué]" in ticket.triage["besoin"]
        assert ticket.activity_report["materiel"] == "telephone"
        # The same text function as the assistant's confirmation, with these triage answers.
        expected = confirmation_text(
            s.get(Place, appointment.place_id),
            appointment.start,
            "email",
            "telephone",
            permanence=s.get(Permanence, appointment.permanence_id),
            has_login="non",
            has_email="oui",
        )
        audit = s.execute(select(AuditEntry).where(AuditEntry.target == "prescription")).scalar_one()
        assert audit.action == "create" and audit.target_id == str(ticket.id) and audit.detail["sms"] is True
        ticket_id = ticket.id
    sent = [r["data"] for r in edge.requests]
    assert len(sent) == 1 and sent[0]["To"] == PHONE and sent[0]["From"] == "+33700000000"
    assert sent[0]["Body"] == normalise(expected, True) and "ANNULER" in sent[0]["Body"]

    listing = client.get("/prescriptions").get_data(as_text=True)
    assert "06 •• •• •• 77" in listing and "Réservé" in listing and PHONE_TYPED not in listing
    # The conseiller's ticket page names the prescriber.
    make_user(engine, "coord@metz.fr", "coordinateur")
    ticket_page = logged_in(app, "coord@metz.fr").get(f"/tickets/{ticket_id}").get_data(as_text=True)
    assert "Réservé par un partenaire" in ticket_page and "CCAS de Metz" in ticket_page


def test_the_resident_cancels_with_annuler_and_the_prescripteurs_list_shows_it(desk):
    app, engine, _edge = desk
    client = logged_in(app)
    assert book(client)[0].status_code == 302
    dispatcher = CollectingDispatcher()
    run(
        ActionCancelAppointment().run(dispatcher, tracker(sms_conversation_id(PHONE, HASH_KEY)), {})
    )  # "ANNULER" by SMS
    assert "annulé" in dispatcher.messages[0]["text"]
    with session_scope(engine) as s:
        ticket = s.execute(select(Ticket)).scalar_one()
        assert s.get(Appointment, ticket.appointment_id).status == AppointmentStatus.EXCUSED
        assert ticket.status == "clos"
    assert "Annulé par la personne" in client.get("/prescriptions").get_data(as_text=True)


def test_a_prescripteur_cancels_a_booking_still_to_come_and_the_resident_is_told_by_sms(desk):
    app, engine, edge = desk
    client = logged_in(app)
    assert book(client)[0].status_code == 302
    with session_scope(engine) as s:
        ticket = s.execute(select(Ticket)).scalar_one()
        ticket_id, appointment = ticket.id, s.get(Appointment, ticket.appointment_id)
        expected = cancellation_by_prescriber_text(
            s.get(Place, appointment.place_id), appointment.start, "CCAS de Metz"
        )
    # Another partner cannot cancel it (not theirs: 404), and nothing changes.
    other = logged_in(app, "as@departement57.fr")
    token = csrf_token(other.get("/prescriptions/nouvelle").get_data(as_text=True))
    assert other.post(f"/prescriptions/{ticket_id}/annuler", data={"csrf_token": token}).status_code == 404
    listing = client.get("/prescriptions").get_data(as_text=True)
    assert f"/prescriptions/{ticket_id}/annuler" in listing
    edge.requests.clear()
    response = client.post(f"/prescriptions/{ticket_id}/annuler", data={"csrf_token": csrf_token(listing)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/prescriptions")
    with session_scope(engine) as s:
        ticket = s.get(Ticket, ticket_id)
        assert s.get(Appointment, ticket.appointment_id).status == AppointmentStatus.REVOKED  # the seat is free
        assert ticket.status == "clos"
        cancelled = [e for e in ticket.events if e.kind == "cancelled"]
        assert len(cancelled) == 1 and cancelled[0].actor == "agent@ccas-metz.fr (CCAS de Metz)"
        audit = s.execute(
            select(AuditEntry).where(AuditEntry.target == "prescription", AuditEntry.action == "cancel")
        ).scalar_one()
        assert audit.target_id == str(ticket_id) and audit.detail["sms"] is True
    sent = [r["data"] for r in edge.requests]
    assert len(sent) == 1 and sent[0]["To"] == PHONE and sent[0]["Body"] == normalise(expected, True)
    assert "CCAS de Metz" in expected and "RDV" in expected
    listing = client.get("/prescriptions").get_data(as_text=True)
    assert "Annulé par le service" in listing and "La personne est prévenue par SMS" in listing
    assert f"/prescriptions/{ticket_id}/annuler" not in listing  # nothing left to cancel
    # A second cancel (another tab): told kindly, no second SMS.
    client.post(f"/prescriptions/{ticket_id}/annuler", data={"csrf_token": csrf_token(listing)})
    assert "ne peut plus être annulé" in client.get("/prescriptions").get_data(as_text=True)
    assert len(edge.requests) == 1


def test_a_stopped_number_gets_no_sms_and_the_prescripteur_is_told_to_tell_the_person(desk):
    app, engine, edge = desk
    with session_scope(engine) as s:
        opt_out(s, PHONE, HASH_KEY)
    client = logged_in(app)
    response, _key = book(client)
    assert response.status_code == 302 and edge.requests == []
    page = client.get("/prescriptions").get_data(as_text=True)
    assert "STOP" in page and "Prévenez la personne vous-même" in page and "Rendez-vous confirmé" in page
    with session_scope(engine) as s:
        ticket = s.execute(select(Ticket)).scalar_one()
        refused = [e for e in ticket.events if e.kind == "sms_refused"]
        assert len(refused) == 1 and refused[0].detail["reason"] == "opt_out"


def test_the_form_says_what_is_wrong_next_to_the_field_and_keeps_what_was_typed(desk):
    app, engine, edge = desk
    client = logged_in(app)
    for phone, message in (("12", "pas valide"), ("03 87 55 50 00", "fixe"), ("", "Indiquez")):
        response = search(client, {**FORM, "telephone": phone, "thematique": "", "materiel": "9"})
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and message in page
        assert re.search(r'id="telephone"[^>]*aria-invalid="true"[^>]*aria-describedby="telephone-erreur', page)
        assert 'id="telephone-erreur"' in page and 'id="thematique-erreur"' in page and 'id="materiel-erreur"' in page
        assert 'value="Borny"' in page and "Soleil2024" in page  # kept as typed (the note is masked only when stored)
        assert f'value="{phone}"' in page
    for typed in ("+33 6 12 34 00 77", "0033612340077", "07 81 23 45 67"):
        assert search(client, {**FORM, "telephone": typed}).status_code == 200, typed
    with session_scope(engine) as s:
        assert s.execute(select(Ticket)).first() is None
    assert edge.requests == []


def test_a_prescripteur_sees_only_their_bookings_and_no_other_desk_page(desk):
    app, engine, _edge = desk
    other_ticket, _ = make_booked_ticket(engine, phone="+33612340088")  # a resident who booked by SMS
    first = logged_in(app)
    assert book(first)[0].status_code == 302
    second = logged_in(app, "as@departement57.fr")
    assert "06 •• •• •• 77" not in second.get("/prescriptions").get_data(as_text=True)
    assert "Aucune réservation" in second.get("/prescriptions").get_data(as_text=True)
    with session_scope(engine) as s:
        mine = s.execute(select(Ticket).where(Ticket.prescriber_user_id.isnot(None))).scalar_one().id
    assert "06 •• •• •• 77" in first.get("/prescriptions").get_data(as_text=True)
    assert "06 •• •• •• 88" not in first.get("/prescriptions").get_data(as_text=True)
    # Not even the ticket page of their own booking (the desk's), nor anyone else's.
    for client in (first, second):
        for ticket_id in (mine, other_ticket):
            assert client.get(f"/tickets/{ticket_id}").status_code == 403
    assert first.get("/").headers["Location"].endswith("/prescriptions")

    # Every other page of the desk, each method: 403 (CSRF off, to prove the role guard alone).
    app.config["WTF_CSRF_ENABLED"] = False
    walked = 0
    for rule in app.url_map.iter_rules():
        if (
            rule.endpoint in PUBLIC_ENDPOINTS
            or rule.endpoint.startswith("prescriptions.")
            or rule.endpoint == "auth.logout"
            or rule.endpoint == "agenda.index"
        ):
            continue
        url = rule.build(
            {
                arg: 1 if rule._converters[arg].__class__.__name__ == "IntegerConverter" else "x"
                for arg in rule.arguments
            }
        )[1]
        for method in sorted(rule.methods - {"OPTIONS", "HEAD"}):
            assert first.open(url, method=method).status_code == 403, (method, url)
            walked += 1
    assert walked >= 30
    with session_scope(engine) as s:
        assert s.get(Ticket, other_ticket).status == "nouveau"  # nothing changed by the walk
        assert s.execute(select(Ticket)).scalars().all().__len__() == 2
    # A conseiller or coordinateur does not get the prescripteur's pages (they have the desk).
    make_user(engine, "coord@metz.fr", "coordinateur")
    assert logged_in(app, "coord@metz.fr").get("/prescriptions").status_code == 403


@pytest.mark.processes
def test_the_coordinateur_creates_a_prescripteur_with_its_structure_from_the_cli(db_engine, sqlite_url):
    env = {"DATABASE_URL": sqlite_url, "PATH": "/usr/bin:/bin"}
    command = [
        sys.executable,
        "-m",
        "bot",
        "users",
        "create",
        "--email",
        "Agent@CCAS-Metz.fr",
        "--role",
        "prescripteur",
        "--password-stdin",
    ]
    refused = subprocess.run(command, cwd=ROOT, env=env, input=PASSWORD + "\n", capture_output=True, text=True)
    assert refused.returncode == 1 and "--structure" in refused.stderr
    created = subprocess.run(
        [*command, "--structure", "CCAS de Metz"],
        cwd=ROOT,
        env=env,
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
    )
    assert created.returncode == 0, created.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "bot", "users", "list"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert "agent@ccas-metz.fr\tprescripteur\tCCAS de Metz\tactive" in listed.stdout
    with session_scope(db_engine) as s:
        user = s.execute(select(User)).scalar_one()
        assert user.role == "prescripteur" and user.structure == "CCAS de Metz" and user.conseiller_id is None


def test_creating_a_prescripteur_needs_a_structure(db_engine):
    with session_scope(db_engine) as s:
        with pytest.raises(AccountError, match="--structure"):
            create_user(s, email="a@ccas.fr", password=PASSWORD, role="prescripteur")
        user = create_user(
            s, email="b@ccas.fr", password=PASSWORD, role="prescripteur", structure="  France   Services Borny "
        )
        assert user.structure == "France Services Borny" and user.is_prescripteur and not user.is_coordinateur


def test_the_configured_booking_max_future_appointments_holds_for_a_prescripteur(desk, monkeypatch):
    """BOOKING_MAX_FUTURE_APPOINTMENTS=1, read by the desk's app factory: a second appointment for
    the same person is refused (the default, 2, would let it through)."""
    _app, _engine, _edge = desk
    monkeypatch.setenv("BOOKING_MAX_FUTURE_APPOINTMENTS", "1")
    app = create_app(reload_settings())
    app.config["TESTING"] = True
    client = logged_in(app)
    assert book(client)[0].status_code in (200, 302)
    response, _key = book(client, choice=1)
    text = html.unescape(response.get_data(as_text=True))
    assert "Cette personne a déjà 1 rendez-vous prévus." in text


def test_a_slot_taken_meanwhile_is_refused_kindly(desk):
    app, engine, edge = desk
    first, second = logged_in(app), logged_in(app, "as@departement57.fr")
    page = search(second, {**FORM, "telephone": "06 12 34 00 99"}).get_data(as_text=True)
    key = offered_slots(page)[0]
    assert book(first)[1] == key  # the other prescripteur takes it first
    response = second.post(
        "/prescriptions/nouvelle",
        data={
            **FORM,
            "telephone": "06 12 34 00 99",
            "etape": "reserver",
            "creneau": key,
            "exclus": hidden(page, "exclus"),
            "csrf_token": csrf_token(page),
        },
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 409 and "plus libre" in text and 'id="creneau-erreur"' in text
    assert key not in offered_slots(text) and offered_slots(text)  # other slots offered at once
    assert 'value="06 12 34 00 99"' in text
    assert len(edge.requests) == 1


def test_two_prescripteurs_on_the_last_seat_one_wins(monkeypatch, postgres_url):
    """Real concurrency on PostgreSQL: both post the same seat at once; one books it, the other is told."""
    engine = fresh_schema(postgres_url)
    load_city_places(postgres_url)
    edge = _twilio_env(monkeypatch, postgres_url)
    try:
        app = create_app(reload_settings())
        app.config["TESTING"] = True
        for email in ("agent@ccas-metz.fr", "as@departement57.fr"):
            with session_scope(engine) as s:
                create_user(s, email=email, password=PASSWORD, role="prescripteur", structure="CCAS")
        clients = [logged_in(app), logged_in(app, "as@departement57.fr")]
        forms = [{**FORM, "telephone": "06 12 34 00 11"}, {**FORM, "telephone": "06 12 34 00 22"}]
        pages = [search(c, f).get_data(as_text=True) for c, f in zip(clients, forms)]
        key = offered_slots(pages[0])[0]
        assert offered_slots(pages[1])[0] == key
        barrier, answers = threading.Barrier(2), [None, None]

        def post(i):
            barrier.wait()
            answers[i] = clients[i].post(
                "/prescriptions/nouvelle",
                data={
                    **forms[i],
                    "etape": "reserver",
                    "creneau": key,
                    "exclus": hidden(pages[i], "exclus"),
                    "csrf_token": csrf_token(pages[i]),
                },
            )

        threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        codes = sorted(a.status_code for a in answers)
        assert codes == [302, 409], codes
        loser = next(a for a in answers if a.status_code == 409).get_data(as_text=True)
        assert "pris" in loser or "plus libre" in loser
        with session_scope(engine) as s:
            booked = s.execute(select(Appointment).where(Appointment.status == "booked")).scalars().all()
            assert len(booked) == 1 and len(s.execute(select(Ticket)).scalars().all()) == 1
            assert len(s.execute(select(TicketEvent).where(TicketEvent.kind == "prescribed")).scalars().all()) == 1
        assert len(edge.requests) == 1
    finally:
        outbound.set_default_http_client(None)
        engine.dispose()
        monkeypatch.undo()
        reload_settings()


def test_the_right_of_access_names_who_booked_and_erasure_forgets_the_note(desk):
    from bot.data_rights.erasure import erase_phone
    from bot.data_rights.export import export_for_phone

    app, engine, _edge = desk
    assert book(logged_in(app))[0].status_code == 302
    with session_scope(engine) as s:
        exported = export_for_phone(s, PHONE, HASH_KEY)["tickets"]
        assert len(exported) == 1 and exported[0]["prescribed_by"] == "CCAS de Metz"
        assert exported[0]["triage"]["besoin"].startswith("Elle ne reçoit plus ses mails")
    with session_scope(engine) as s:
        assert erase_phone(s, PHONE, HASH_KEY).appointments_cancelled == 1
    with session_scope(engine) as s:
        ticket = s.execute(select(Ticket)).scalar_one()
        assert "besoin" not in ticket.triage and "accessibility" not in ticket.triage
        assert ticket.prescriber_structure == "CCAS de Metz"  # the partner's name, not the person's


def test_other_times_offers_the_next_slots_and_a_chosen_place_is_searched_first(desk):
    app, engine, _edge = desk
    client = logged_in(app)
    page = search(client).get_data(as_text=True)
    first = offered_slots(page)
    more = client.post(
        "/prescriptions/nouvelle",
        data={**FORM, "etape": "autres", "vus": hidden(page, "vus"), "csrf_token": csrf_token(page)},
    ).get_data(as_text=True)
    assert offered_slots(more) and not set(offered_slots(more)) & set(first)
    with session_scope(engine) as s:
        verlaine = s.execute(select(Place).where(Place.slug == "mediatheque-verlaine")).scalar_one()
        permanences = {p.id for p in s.execute(select(Permanence).where(Permanence.place_id == verlaine.id)).scalars()}
    at_place = offered_slots(search(client, {**FORM, "lieu": str(verlaine.id)}).get_data(as_text=True))
    assert at_place and all(int(key.split("@")[0]) in permanences for key in at_place)
    assert search(client, {**FORM, "lieu": "99999"}).status_code == 400
