"""Actions on a ticket from the desk: status changes (cancelling frees the slot),
the Coop outcome, texting the resident (opt-outs respected), rescheduling.
Every change is in the ticket's history."""

from __future__ import annotations

from sqlalchemy import select

from bot.booking.models import Appointment, AppointmentStatus, SlotSeat
from bot.db import session_scope
from bot.sms.models import OutboundMessage
from bot.sms.opt_out import opt_out
from bot.tickets.models import Ticket, TicketEvent, TicketStatus
from tests.desk.conftest import RESIDENT_PHONE, login, make_booked_ticket, make_user, post_form
from tests.support.live_bot import TEST_SECRETS

HASH_KEY = TEST_SECRETS["HASH_KEY"]


def logged_in(app, engine, email="coord@metz.fr", role="coordinateur", slug=None):
    make_user(engine, email, role, slug)
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


def events(engine, ticket_id):
    with session_scope(engine) as session:
        return [
            (e.kind, e.detail)
            for e in session.execute(
                select(TicketEvent).where(TicketEvent.ticket_id == ticket_id).order_by(TicketEvent.id)
            ).scalars()
        ]


def test_confirm_seen_absent_and_cancel_each_leave_an_event_and_cancel_frees_the_slot(app, desk_engine):
    ticket_id, appointment_id = make_booked_ticket(desk_engine)
    client = logged_in(app, desk_engine, "nadia@metz.fr", "conseiller", "nadia")
    page = f"/tickets/{ticket_id}"
    for status in ("confirme", "vu", "absent", "annule"):
        response = post_form(client, page, f"{page}/statut", {"statut": status})
        assert response.status_code == 302
    with session_scope(desk_engine) as session:
        assert session.get(Ticket, ticket_id).status == TicketStatus.CLOS
        assert session.get(Appointment, appointment_id).status == AppointmentStatus.REVOKED
        assert session.execute(select(SlotSeat).where(SlotSeat.appointment_id == appointment_id)).first() is None
    # The ticket's workflow and the appointment's outcome, each in its own events.
    history = events(desk_engine, ticket_id)
    assert [d["to"] for kind, d in history if kind == "status"] == ["confirme", "clos"]
    assert [d["to"] for kind, d in history if kind == "attendance"] == ["seen", "noshow"]
    assert [d for kind, d in history if kind == "cancelled"] == [{"by": "service", "reason": "desk", "to": "revoked"}]
    assert all(d.get("from") for kind, d in history if kind in ("status", "attendance"))


def test_absent_marks_the_appointment_as_a_no_show(app, desk_engine):
    ticket_id, appointment_id = make_booked_ticket(desk_engine)
    client = logged_in(app, desk_engine)
    post_form(client, f"/tickets/{ticket_id}", f"/tickets/{ticket_id}/statut", {"statut": "absent"})
    with session_scope(desk_engine) as session:
        assert session.get(Appointment, appointment_id).status == AppointmentStatus.NOSHOW
        assert session.get(Ticket, ticket_id).status == TicketStatus.CLOS
    page = client.get(f"/tickets/{ticket_id}").get_data(as_text=True)
    assert "Clos · Absent</span>" in page and "Présence" in page and "Réservé → Absent" in page
    assert "Clos · Absent" in client.get("/tickets").get_data(as_text=True)
    post_form(client, f"/tickets/{ticket_id}", f"/tickets/{ticket_id}/statut", {"statut": "confirme"})
    with session_scope(desk_engine) as session:  # a mistake undone: booked again, the ticket in hand
        assert session.get(Appointment, appointment_id).status == AppointmentStatus.BOOKED
        assert session.get(Ticket, ticket_id).status == TicketStatus.CONFIRME


def test_the_outcome_is_recorded_in_the_coop_fields_and_bad_values_get_a_french_answer(app, desk_engine):
    ticket_id, _ = make_booked_ticket(desk_engine)
    client = logged_in(app, desk_engine)
    page = f"/tickets/{ticket_id}"
    bad = post_form(
        client,
        page,
        f"{page}/bilan",
        {"duree": "beaucoup", "autonomie": "autonome", "thematiques": ["email"], "materiel": ["telephone"]},
    )
    assert bad.status_code == 400 and "nombre de minutes" in bad.get_data(as_text=True)
    bad = post_form(
        client,
        page,
        f"{page}/bilan",
        {"duree": "30", "autonomie": "autonome", "thematiques": ["pas_une_thematique"], "materiel": ["telephone"]},
    )
    assert bad.status_code == 400 and "thématique" in bad.get_data(as_text=True)
    good = post_form(
        client,
        page,
        f"{page}/bilan",
        {
            "duree": "40",
            "autonomie": "entierement_accompagne",
            "thematiques": ["email", "securite_numerique"],
            "materiel": ["telephone", "ordinateur"],
            "orientation": "aide_aux_demarches_administratives",
        },
    )
    assert good.status_code == 302
    with session_scope(desk_engine) as session:
        ticket = session.get(Ticket, ticket_id)
        report = ticket.activity_report
        assert ticket.status == TicketStatus.CLOS
        assert session.get(Appointment, ticket.appointment_id).status == AppointmentStatus.SEEN
        assert report["duree"] == 40 and report["autonomie"] == "entierement_accompagne"
        assert report["thematiques"] == ["email", "securite_numerique"]
        assert (
            report["materiel"] == ["telephone", "ordinateur"]
            and report["orientation"] == "aide_aux_demarches_administratives"
        )
        assert report["oriente"] is True
        assert report["enregistre"] is True and report["type"] == "individuel"
    kinds = [k for k, _ in events(desk_engine, ticket_id)]
    assert kinds == ["created", "outcome", "attendance", "status"]


def test_texting_the_resident_with_a_template_and_free_text_goes_through_send_sms(app, desk_engine):
    ticket_id, appointment_id = make_booked_ticket(desk_engine)
    client = logged_in(app, desk_engine)
    page = f"/tickets/{ticket_id}"
    assert post_form(client, page, f"{page}/sms", {"modele": "documents"}).status_code == 302
    assert post_form(client, page, f"{page}/sms", {"texte": "Bonjour, à demain <b>!</b>"}).status_code == 302
    too_long = post_form(client, page, f"{page}/sms", {"texte": "x" * 600})
    assert "trop long" in client.get(too_long.headers["Location"]).get_data(as_text=True)
    with session_scope(desk_engine) as session:
        messages = (
            session.execute(
                select(OutboundMessage).where(OutboundMessage.ticket_id == ticket_id).order_by(OutboundMessage.id)
            )
            .scalars()
            .all()
        )
        assert [m.purpose for m in messages] == ["desk", "desk"]
        assert all(m.to_e164 == RESIDENT_PHONE and m.appointment_id == appointment_id for m in messages)
        assert "apportez" in messages[0].body and messages[1].body.startswith("Bonjour, à demain")
    html = client.get(page).get_data(as_text=True)
    assert "Boîte d&#39;envoi locale" in html and "&lt;b&gt;!&lt;/b&gt;" in html  # SMS history, escaped
    assert [d["template"] for k, d in events(desk_engine, ticket_id) if k == "sms"] == ["documents", "libre"]


def test_a_resident_who_said_stop_gets_no_sms_from_the_desk(app, desk_engine):
    ticket_id, _ = make_booked_ticket(desk_engine)
    with session_scope(desk_engine) as session:
        opt_out(session, RESIDENT_PHONE, HASH_KEY)
    client = logged_in(app, desk_engine)
    response = post_form(client, f"/tickets/{ticket_id}", f"/tickets/{ticket_id}/sms", {"texte": "Bonjour"})
    assert "STOP" in client.get(response.headers["Location"]).get_data(as_text=True)
    with session_scope(desk_engine) as session:
        assert session.execute(select(OutboundMessage)).first() is None
    assert [k for k, _ in events(desk_engine, ticket_id)][-1] == "sms_refused"


def test_rescheduling_moves_the_appointment_frees_the_old_slot_and_texts_the_new_time(app, desk_engine):
    ticket_id, old_id = make_booked_ticket(desk_engine)
    client = logged_in(app, desk_engine)
    page = client.get(f"/tickets/{ticket_id}/deplacer").get_data(as_text=True)
    choice = page.split('name="creneau" value="')[1].split('"')[0]
    response = post_form(
        client, f"/tickets/{ticket_id}/deplacer", f"/tickets/{ticket_id}/deplacer", {"creneau": choice, "prevenir": "1"}
    )
    assert response.status_code == 302
    with session_scope(desk_engine) as session:
        ticket = session.get(Ticket, ticket_id)
        assert ticket.appointment_id != old_id and ticket.status == "confirme"
        assert session.get(Appointment, old_id).status == AppointmentStatus.REVOKED
        new = session.get(Appointment, ticket.appointment_id)
        assert f"{new.permanence_id}@" in choice and new.status == AppointmentStatus.BOOKED
        assert ticket.place_id == new.place_id
        body = session.execute(select(OutboundMessage.body).where(OutboundMessage.ticket_id == ticket_id)).scalar_one()
        assert body.startswith("Rendez-vous confirmé")
    assert "moved" in [k for k, _ in events(desk_engine, ticket_id)]


def test_the_ticket_page_offers_the_catalogues_sms_templates_with_the_citys_number(app, desk_engine):
    """bot/texts/desk.py's templates, with CITY_CONTACT_PHONE when the place has no number of its own."""
    from html import unescape

    from bot.settings import get_settings
    from bot.texts.desk import TEMPLATE_TITLES

    ticket_id, _ = make_booked_ticket(desk_engine)
    client = logged_in(app, desk_engine, "nadia@metz.fr", "conseiller", "nadia")
    page = unescape(client.get(f"/tickets/{ticket_id}").get_data(as_text=True))
    for title in TEMPLATE_TITLES.values():
        assert title in page
    assert f"Merci de rappeler le {get_settings().city_contact_phone}." in page
    assert "Rappel : rendez-vous " in page and "Pour annuler, répondez ANNULER." in page
