"""The handoff core without servers: tickets opened and drafted, moves, cancellations by the
person or the service, one seat a person in a workshop session (SQLite and PostgreSQL),
and the status migration 0008."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot import handoff, migrate
from bot.booking.models import Appointment, AppointmentStatus, SlotSeat
from bot.booking.slots import next_slots
from bot.db import make_engine, session_scope
from bot.handoff.seats import seats_taken
from bot.texts.booking import confirmation_text, duration_text, offer_text, slot_line
from bot.tickets.models import CancelledBy, EventKind, TicketEvent, TicketStatus
from bot.triage.routing import orientation_of
from tests.booking.helpers import ROUTES, WINDOW, make_place, make_resident

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=timezone.utc)
REQUEST = handoff.HandoffRequest(
    triage={"thematique": "email", "materiel": "telephone", "has_email": "oui", "has_login": "non"},
    thematique="email",
    route="rendez_vous",
    first_name="Marie",
    bot_answers=["faq_email/spams"],
    transcript="Assistant : Quel appareil ?\nVous : 2",
    orientation=None,
)


def test_a_ticket_is_opened_with_its_draft_report_and_follows_its_appointment(db_engine):
    with session_scope(db_engine) as s:
        place, permanence = make_place(s, schedule="Tu 14:00-17:00", slot_minutes=45)
        other, _ = make_place(s, schedule="We 14:00-17:00", slug="autre")
        resident = make_resident(s)
        appointment = handoff.book(
            s, resident, next_slots(s, now=NOW, place_ids=[place.id], limit=1, window=WINDOW)[0], now=NOW, limit=2
        )
        ticket = handoff.open_ticket(s, resident, REQUEST, appointment)
        assert resident.first_name == "Marie" and ticket.status == TicketStatus.NOUVEAU
        assert ticket.place_id == place.id and ticket.activity_report == {
            "thematiques": ["email"],
            "materiel": "telephone",
            "autonomie": "partiellement_autonome",
            "orientation": None,
            "type": "individuel",
            "type_lieu": "lieu_activite",
            "lieu": place.nom,
            "duree": 45,
            "titre_atelier": None,
        }
        new = handoff.move(
            s,
            appointment,
            next_slots(s, now=NOW, place_ids=[other.id], limit=1, window=WINDOW)[0],
            by=CancelledBy.SERVICE,
            actor="nadia",
            limit=2,
        )
        assert ticket.appointment_id == new.id and ticket.place_id == other.id
        assert ticket.activity_report["lieu"] == other.nom and ticket.status == TicketStatus.CONFIRME
        assert appointment.status == AppointmentStatus.REVOKED and new.status == AppointmentStatus.BOOKED
        kinds = [
            e.kind
            for e in s.execute(
                select(TicketEvent).where(TicketEvent.ticket_id == ticket.id).order_by(TicketEvent.id)
            ).scalars()
        ]
        assert kinds == [EventKind.CREATED, EventKind.MOVED, EventKind.STATUS]


def test_a_call_back_is_help_at_a_distance_and_a_route_proposes_its_structure(db_engine):
    with session_scope(db_engine) as s:
        resident = make_resident(s)
        request = handoff.HandoffRequest(
            triage={"has_email": "non", "has_login": "non"},
            thematique="argent_impots",
            route="aidants_connect",
            orientation=orientation_of("aidants_connect", ROUTES),
        )
        report = handoff.open_ticket(s, resident, request).activity_report
    assert report["type_lieu"] == "a_distance" and report["lieu"] is None
    assert report["autonomie"] == "entierement_accompagne"
    assert report["orientation"] == "aide_aux_demarches_administratives"  # data/routes/metz.yml


@pytest.mark.parametrize(
    "by, status", [(CancelledBy.RESIDENT, AppointmentStatus.EXCUSED), (CancelledBy.SERVICE, AppointmentStatus.REVOKED)]
)
def test_cancelling_names_who_cancelled_frees_the_seat_and_closes_the_ticket_once(db_engine, by, status):
    with session_scope(db_engine) as s:
        _, permanence = make_place(s, schedule="Tu 14:00-15:00")
        resident = make_resident(s)
        slot = next_slots(s, now=NOW, limit=1, window=WINDOW)[0]
        appointment = handoff.book(s, resident, slot, now=NOW, limit=2)
        ticket = handoff.open_ticket(s, resident, REQUEST, appointment)
        handoff.cancel(s, appointment, by=by, actor="x", reason="fermeture")
        handoff.cancel(s, appointment, by=by, actor="x", reason="fermeture")  # idempotent
        assert appointment.status == status and appointment.cancelled_at is not None
        assert ticket.status == TicketStatus.CLOS and seats_taken(s, permanence.id, slot.start) == 0
        cancelled = s.execute(select(TicketEvent).where(TicketEvent.kind == EventKind.CANCELLED)).scalars().all()
        assert [e.detail for e in cancelled] == [{"by": by.value, "reason": "fermeture", "to": status.value}]


def test_a_status_outside_the_enums_never_reaches_the_database(db_engine):
    with session_scope(db_engine) as s:
        make_place(s, schedule="Tu 14:00-15:00")
        appointment = handoff.book(
            s, make_resident(s), next_slots(s, now=NOW, limit=1, window=WINDOW)[0], now=NOW, limit=2
        )
        s.flush()
        appointment.status = "cancelled"  # the old value
        with pytest.raises(sa.exc.StatementError):
            s.flush()
        s.rollback()


def test_one_person_gets_one_seat_of_a_workshop_session(any_db):
    with session_scope(any_db) as s:
        place, permanence = make_place(s, schedule="Th 14:00-15:30", slot_minutes=90, capacity=8, kind="atelier")
        slot = next_slots(s, now=NOW, kind="atelier", place_ids=[place.id], limit=1, window=WINDOW)[0]
        resident = make_resident(s)
        handoff.book(s, resident, slot, now=NOW, limit=2)
        with pytest.raises(handoff.AlreadyBooked):
            handoff.book(s, resident, slot, now=NOW, limit=2)
        assert seats_taken(s, permanence.id, slot.start) == 1
        handoff.book(s, make_resident(s, "+33611110001"), slot, now=NOW, limit=2)  # someone else: yes
        assert seats_taken(s, permanence.id, slot.start) == 2
        resident_id, start = resident.id, slot.start
    # The database itself refuses it, whatever the code does.
    with pytest.raises(IntegrityError):
        with session_scope(any_db) as s:
            appointment = s.execute(select(Appointment).where(Appointment.resident_id == resident_id)).scalar_one()
            s.add(
                SlotSeat(
                    permanence_id=permanence.id,
                    start=start,
                    seat=7,
                    resident_id=resident_id,
                    appointment_id=appointment.id + 1000,
                )
            )
            s.flush()


def test_a_workshop_is_offered_and_confirmed_with_its_title_length_and_group(db_engine):
    with session_scope(db_engine) as s:
        place, permanence = make_place(s, schedule="Th 14:00-15:30", slot_minutes=90, capacity=8, kind="atelier")
        permanence.title = "Atelier : bien utiliser son smartphone"
        slot = next_slots(s, now=NOW, kind="atelier", limit=1, window=WINDOW)[0]
        line = slot_line(1, slot, place, permanence)
        assert line == "1. jeudi 10 décembre à 14 h, Mairie de quartier test, en groupe"
        assert offer_text([line], permanence).startswith(
            "Atelier collectif « bien utiliser son smartphone », 1 h 30, en groupe. Prochaines séances :\n1. "
        )
        text = confirmation_text(place, slot.start, "prendre_en_main_du_materiel", "telephone", permanence=permanence)
        assert text.startswith(
            "Atelier collectif « bien utiliser son smartphone », 1 h 30, en groupe : "
            "place réservée : jeudi 10 décembre à 14 h, Mairie de quartier test"
        )
        assert "téléphone et son chargeur" in text and text.endswith("Pour annuler, répondez ANNULER.")
        assert len(text) <= 306
    assert (duration_text(45), duration_text(60), duration_text(90)) == ("45 min", "1 h", "1 h 30")


def _insert(connection, table: str, **values) -> None:
    names = ", ".join(f'"{k}"' for k in values)
    connection.execute(
        sa.text(f"INSERT INTO {table} ({names}) VALUES ({', '.join(':' + k for k in values)})").bindparams(
            *[sa.bindparam(k, type_=sa.JSON) for k, v in values.items() if isinstance(v, (dict, list))]
        ),
        values,
    )


@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_migration_0008_maps_the_old_statuses(request, database, sqlite_url):
    url = sqlite_url if database == "sqlite" else request.getfixturevalue("postgres_url")
    migrate.upgrade(url, "0006_web_deliveries")
    engine = make_engine(url)
    day = datetime(2026, 12, 1, tzinfo=timezone.utc)
    with engine.begin() as c:
        _insert(c, "residents", id=1, conversation_id="sms:x", channel="sms", created_at=day, last_seen_at=day)
        _insert(
            c,
            "places",
            id=1,
            slug="p",
            nom="P",
            adresse="a",
            code_postal="57000",
            commune="Metz",
            services=[],
            modalites_acces=[],
            modalites_accompagnement=[],
            aliases=[],
            holidays_country="FR",
            timezone="Europe/Paris",
            active=True,
        )
        _insert(c, "conseillers", id=1, slug="c", name="C", active=True)
        _insert(
            c,
            "permanences",
            id=1,
            slug="p1",
            place_id=1,
            conseiller_id=1,
            kind="individuel",
            slot_minutes=45,
            capacity=1,
            schedule="Tu 14:00-17:00",
            active=True,
        )
        for i, status in enumerate(("booked", "done", "no_show", "cancelled", "cancelled"), start=1):
            _insert(
                c,
                "appointments",
                id=i,
                resident_id=1,
                permanence_id=1,
                place_id=1,
                start=day.replace(day=i),
                end=day.replace(day=i),
                status=status,
                created_at=day,
            )
        _insert(c, "slot_seats", id=1, permanence_id=1, start=day, seat=1, appointment_id=1)
        for i, (status, appointment) in enumerate(
            (("vu", 2), ("absent", 3), ("annule", 4), ("annule", 5), ("nouveau", 1)), start=1
        ):
            report = {"orientation": "aidants_connect", "duree": 30} if i == 2 else {}
            _insert(
                c,
                "tickets",
                id=i,
                resident_id=1,
                appointment_id=appointment,
                status=status,
                triage={},
                activity_report=report,
                bot_answers=[],
                delivery_problem=False,
                created_at=day,
                updated_at=day,
            )
        # Appointment 4 was cancelled by a conseiller at the desk, 5 by the resident.
        for event_id, (ticket, actor) in enumerate(((3, "nadia"), (4, "resident")), start=1):
            _insert(
                c,
                "ticket_events",
                id=event_id,
                ticket_id=ticket,
                at=day,
                actor=actor,
                kind="status",
                detail={"from": "nouveau", "to": "annule"},
            )
    engine.dispose()
    migrate.upgrade(url)
    engine = make_engine(url)
    with engine.connect() as c:
        statuses = dict(c.execute(sa.text("SELECT id, status FROM appointments")).all())
        tickets = dict(c.execute(sa.text("SELECT id, status FROM tickets")).all())
        seat = c.execute(sa.text("SELECT resident_id FROM slot_seats")).scalar_one()
        report = c.execute(
            sa.select(sa.column("activity_report", sa.JSON))
            .select_from(sa.table("tickets"))
            .where(sa.column("id") == 2)
        ).scalar_one()
    engine.dispose()
    assert report == {"orientation": "aide_aux_demarches_administratives", "oriente": True, "duree": 30}
    assert statuses == {1: "booked", 2: "seen", 3: "noshow", 4: "revoked", 5: "excused"}
    assert tickets == {1: "confirme", 2: "clos", 3: "clos", 4: "clos", 5: "nouveau"}
    assert seat == 1
