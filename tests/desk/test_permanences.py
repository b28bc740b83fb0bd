"""Permanences from the desk: schedules (validated with opening_hours), closures,
absences; the bot's slots follow at once; residents booked on cancelled time are texted."""

from __future__ import annotations

from sqlalchemy import select

from bot.booking.models import Appointment, AppointmentStatus, SlotSeat
from bot.booking.slots import next_slots
from bot.booking.timeutil import local
from bot.db import session_scope
from bot.places.models import Absence, Permanence
from bot.sms.models import OutboundMessage
from bot.tickets.models import Ticket, TicketStatus
from tests.booking.helpers import WINDOW
from tests.desk.conftest import RESIDENT_PHONE, first_permanence, login, make_booked_ticket, make_user, post_form


def coordinateur(app, engine):
    make_user(engine, "coord@metz.fr", "coordinateur")
    client = app.test_client()
    login(client, "coord@metz.fr")
    return client


def permanence_id(engine) -> int:
    with session_scope(engine) as session:
        return first_permanence(session).id


def slots_of(engine, pid: int):
    with session_scope(engine) as session:
        place_id = session.get(Permanence, pid).place_id
        return [s for s in next_slots(session, place_ids=[place_id], limit=50, window=WINDOW) if s.permanence_id == pid]


def assert_cancelled_and_texted(engine, ticket_id: int, appointment_id: int):
    with session_scope(engine) as session:
        assert session.get(Appointment, appointment_id).status == AppointmentStatus.REVOKED
        assert session.execute(select(SlotSeat).where(SlotSeat.appointment_id == appointment_id)).first() is None
        assert session.get(Ticket, ticket_id).status == TicketStatus.CLOS
        sms = session.execute(select(OutboundMessage).where(OutboundMessage.to_e164 == RESIDENT_PHONE)).scalar_one()
        assert sms.purpose == "desk" and "est annulé" in sms.body and "RDV" in sms.body


def test_a_bad_schedule_is_refused_kindly_and_a_good_one_changes_the_bots_slots_at_once(app, desk_engine):
    client = coordinateur(app, desk_engine)
    pid = permanence_id(desk_engine)
    page = f"/permanences/{pid}"
    bad = post_form(client, page, page, {"schedule": "mardi de 14h à 17h", "slot_minutes": "45", "capacity": "1"})
    assert bad.status_code == 400 and "Ces horaires ne sont pas compris" in bad.get_data(as_text=True)
    good = post_form(client, page, page, {"schedule": "Sa 09:00-10:00", "slot_minutes": "30", "capacity": "2"})
    assert good.status_code == 302
    slots = slots_of(desk_engine, pid)
    assert slots and all(local(s.start).weekday() == 5 and local(s.start).hour == 9 for s in slots)
    assert all(s.capacity == 2 and (s.end - s.start).seconds == 1800 for s in slots)


def test_a_closure_over_a_booked_appointment_cancels_it_texts_the_resident_and_removes_the_day(app, desk_engine):
    ticket_id, appointment_id = make_booked_ticket(desk_engine)
    client = coordinateur(app, desk_engine)
    with session_scope(desk_engine) as session:
        appointment = session.get(Appointment, appointment_id)
        day, place_id, pid = local(appointment.start).date(), appointment.place_id, appointment.permanence_id
    response = post_form(
        client, "/permanences", f"/lieux/{place_id}/fermetures", {"debut": day.isoformat(), "motif": "Travaux"}
    )
    assert "1 personne(s) prévenue(s)" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert_cancelled_and_texted(desk_engine, ticket_id, appointment_id)
    assert all(local(s.start).date() != day for s in slots_of(desk_engine, pid))


def test_cancelling_one_day_of_a_permanence_texts_who_was_booked(app, desk_engine):
    ticket_id, appointment_id = make_booked_ticket(desk_engine)
    client = coordinateur(app, desk_engine)
    with session_scope(desk_engine) as session:
        appointment = session.get(Appointment, appointment_id)
        day, pid = local(appointment.start).date(), appointment.permanence_id
    page = f"/permanences/{pid}"
    response = post_form(client, page, f"{page}/annuler-jour", {"jour": day.isoformat()})
    assert "annulée" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert_cancelled_and_texted(desk_engine, ticket_id, appointment_id)
    assert all(local(s.start).date() != day for s in slots_of(desk_engine, pid))
    with session_scope(desk_engine) as session:
        assert session.execute(select(Absence)).scalar_one().reason.startswith("Permanence annulée")


def test_stopping_a_permanence_cancels_its_future_appointments(app, desk_engine):
    ticket_id, appointment_id = make_booked_ticket(desk_engine)
    client = coordinateur(app, desk_engine)
    pid = permanence_id(desk_engine)
    post_form(client, f"/permanences/{pid}", f"/permanences/{pid}/arreter", {})
    assert_cancelled_and_texted(desk_engine, ticket_id, appointment_id)
    assert slots_of(desk_engine, pid) == []


def test_a_conseiller_declares_an_absence_and_their_slots_disappear(app, desk_engine):
    ticket_id, appointment_id = make_booked_ticket(desk_engine)
    make_user(desk_engine, "nadia@metz.fr", "conseiller", "nadia")
    client = app.test_client()
    login(client, "nadia@metz.fr")
    with session_scope(desk_engine) as session:
        day = local(session.get(Appointment, appointment_id).start).date()
    pid = permanence_id(desk_engine)
    assert any(local(s.start).date() == day for s in slots_of(desk_engine, pid))
    response = post_form(client, "/permanences", "/absences", {"debut": day.isoformat(), "motif": "Formation"})
    assert response.status_code == 302
    assert_cancelled_and_texted(desk_engine, ticket_id, appointment_id)
    assert all(local(s.start).date() != day for s in slots_of(desk_engine, pid))
    # A conseiller cannot declare someone else's absence.
    with session_scope(desk_engine) as session:
        nadia_id = session.get(Permanence, pid).conseiller_id
        other_id = (
            session.execute(select(Permanence.conseiller_id).where(Permanence.conseiller_id != nadia_id))
            .scalars()
            .first()
        )
    forged = post_form(client, "/permanences", "/absences", {"debut": day.isoformat(), "conseiller": str(other_id)})
    assert forged.status_code == 403
    with session_scope(desk_engine) as session:
        assert {a.conseiller_id for a in session.execute(select(Absence)).scalars()} == {nadia_id}
