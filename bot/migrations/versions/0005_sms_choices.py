"""sms choices: the numbered choices last sent to each number

Revision ID: 0005_sms_choices
Revises: 0004_desk
Create Date: 2026-11-22 21:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_sms_choices"
down_revision = "0004_desk"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sms_choices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phone_hash", sa.String(length=64), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_choices")),
        sa.UniqueConstraint("phone_hash", name=op.f("uq_sms_choices_phone_hash")),
    )


def downgrade() -> None:
    op.drop_table("sms_choices")
