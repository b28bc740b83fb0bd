"""places and permanences: checked date, closed until a date, national id

Revision ID: 0009_content_checks
Revises: 0006_web_deliveries
Create Date: 2026-12-01 10:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_content_checks"
down_revision = "0008_handoff_status"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("places", schema=None) as batch_op:
        batch_op.add_column(sa.Column("id_national", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("checked_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("closed_until", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("closed_reason", sa.String(length=200), nullable=True))
    with op.batch_alter_table("permanences", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_until", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("closed_reason", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("permanences", schema=None) as batch_op:
        batch_op.drop_column("closed_reason")
        batch_op.drop_column("closed_until")
    with op.batch_alter_table("places", schema=None) as batch_op:
        batch_op.drop_column("closed_reason")
        batch_op.drop_column("closed_until")
        batch_op.drop_column("checked_on")
        batch_op.drop_column("id_national")
