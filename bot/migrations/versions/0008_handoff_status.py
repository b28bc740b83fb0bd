"""handoff status model: appointment outcomes as RDV Service Public names them, the ticket's own workflow,
and one seat a person in a session

Revision ID: 0008_handoff_status
Revises: 0006_web_deliveries
Create Date: 2026-12-01 10:30:00

appointments.status: booked stays; done -> seen; no_show -> noshow; cancelled -> revoked when the
service cancelled it (a ticket event by someone other than the resident), excused otherwise.
tickets.status: vu -> confirme (the report is still to record); absent, annule -> clos.
slot_seats.resident_id: filled from the appointment; UNIQUE (permanence_id, start, resident_id).
tickets.activity_report.orientation: our old codes become the Coop's structureDeRedirection values.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_handoff_status"
down_revision = "0007_login_locks"
branch_labels = None
depends_on = None

APPOINTMENTS = sa.table(
    "appointments", sa.column("id", sa.Integer), sa.column("status", sa.String), sa.column("resident_id", sa.Integer)
)
TICKETS = sa.table(
    "tickets",
    sa.column("id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("appointment_id", sa.Integer),
    sa.column("activity_report", sa.JSON),
)
EVENTS = sa.table(
    "ticket_events",
    sa.column("ticket_id", sa.Integer),
    sa.column("actor", sa.String),
    sa.column("kind", sa.String),
    sa.column("detail", sa.JSON),
)
SEATS = sa.table("slot_seats", sa.column("appointment_id", sa.Integer), sa.column("resident_id", sa.Integer))

APPOINTMENT_UP = {"done": "seen", "no_show": "noshow"}
TICKET_UP = {"vu": "confirme", "absent": "clos", "annule": "clos"}
ORIENTATION_UP = {
    "france_services": "aide_aux_demarches_administratives",
    "aidants_connect": "aide_aux_demarches_administratives",
    "partenaire_materiel": "autre",
    "autre_structure": "autre",
}


def _cancelled_by_service(bind) -> set[int]:
    """Cancelled appointments whose cancellation a conseiller (or the desk's administration) made."""
    ticket_of = {tid: aid for tid, aid in bind.execute(sa.select(TICKETS.c.id, TICKETS.c.appointment_id))}
    by_service = set()
    for ticket_id, actor, kind, detail in bind.execute(
        sa.select(EVENTS.c.ticket_id, EVENTS.c.actor, EVENTS.c.kind, EVENTS.c.detail)
    ):
        detail = detail or {}
        if actor in ("resident", "assistant"):
            continue
        if kind == "moved" and detail.get("from"):
            by_service.add(int(detail["from"]))
        elif kind == "status" and detail.get("to") == "annule" and ticket_of.get(ticket_id):
            by_service.add(ticket_of[ticket_id])
    return by_service


def upgrade() -> None:
    bind = op.get_bind()
    by_service = _cancelled_by_service(bind)
    for old, new in APPOINTMENT_UP.items():
        bind.execute(APPOINTMENTS.update().where(APPOINTMENTS.c.status == old).values(status=new))
    cancelled = [
        row.id for row in bind.execute(sa.select(APPOINTMENTS.c.id).where(APPOINTMENTS.c.status == "cancelled"))
    ]
    for appointment_id in cancelled:
        bind.execute(
            APPOINTMENTS.update()
            .where(APPOINTMENTS.c.id == appointment_id)
            .values(status="revoked" if appointment_id in by_service else "excused")
        )
    for old, new in TICKET_UP.items():
        bind.execute(TICKETS.update().where(TICKETS.c.status == old).values(status=new))

    for ticket_id, report in bind.execute(sa.select(TICKETS.c.id, TICKETS.c.activity_report)):
        if (report or {}).get("orientation") in ORIENTATION_UP:
            report = {**report, "orientation": ORIENTATION_UP[report["orientation"]], "oriente": True}
            bind.execute(TICKETS.update().where(TICKETS.c.id == ticket_id).values(activity_report=report))

    with op.batch_alter_table("slot_seats", schema=None) as batch_op:
        batch_op.add_column(sa.Column("resident_id", sa.Integer(), nullable=True))
    for appointment_id, resident_id in bind.execute(sa.select(APPOINTMENTS.c.id, APPOINTMENTS.c.resident_id)):
        bind.execute(SEATS.update().where(SEATS.c.appointment_id == appointment_id).values(resident_id=resident_id))
    with op.batch_alter_table("slot_seats", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_slot_seats_resident_id_residents"), "residents", ["resident_id"], ["id"], ondelete="CASCADE"
        )
        batch_op.create_unique_constraint("uq_slot_seats_resident", ["permanence_id", "start", "resident_id"])


def downgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("slot_seats", schema=None) as batch_op:
        batch_op.drop_constraint("uq_slot_seats_resident", type_="unique")
        batch_op.drop_constraint(batch_op.f("fk_slot_seats_resident_id_residents"), type_="foreignkey")
        batch_op.drop_column("resident_id")
    for new, old in (("seen", "done"), ("noshow", "no_show"), ("excused", "cancelled"), ("revoked", "cancelled")):
        bind.execute(APPOINTMENTS.update().where(APPOINTMENTS.c.status == new).values(status=old))
