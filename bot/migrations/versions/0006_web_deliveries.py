"""web deliveries: the widget's last message per conversation and its answer, for retries

Revision ID: 0006_web_deliveries
Revises: 0005_sms_choices
Create Date: 2026-11-30 12:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_web_deliveries"
down_revision = "0005_sms_choices"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender", sa.String(length=80), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_deliveries")),
        sa.UniqueConstraint("sender", name=op.f("uq_web_deliveries_sender")),
    )
    with op.batch_alter_table("web_deliveries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_web_deliveries_received_at"), ["received_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("web_deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_web_deliveries_received_at"))
    op.drop_table("web_deliveries")
