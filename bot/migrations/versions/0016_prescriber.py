"""prescriber: partners (prescripteurs) who book for residents from the desk

Revision ID: 0016_prescriber
Revises: 0015_waitlist
Create Date: 2026-12-01 12:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_prescriber"
down_revision = "0015_waitlist"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("desk_users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("structure", sa.String(length=200), nullable=True))
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prescriber_user_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("prescriber_structure", sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f("ix_tickets_prescriber_user_id"), ["prescriber_user_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_tickets_prescriber_user_id_desk_users"),
            "desk_users",
            ["prescriber_user_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_tickets_prescriber_user_id_desk_users"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_tickets_prescriber_user_id"))
        batch_op.drop_column("prescriber_structure")
        batch_op.drop_column("prescriber_user_id")
    with op.batch_alter_table("desk_users", schema=None) as batch_op:
        batch_op.drop_column("structure")
