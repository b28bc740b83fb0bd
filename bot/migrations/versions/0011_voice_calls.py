"""voice calls: per-call state of the phone line; places.voice_transfer

Revision ID: 0011_voice_calls
Revises: 0006_web_deliveries
Create Date: 2026-12-01 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_voice_calls"
down_revision = "0010_answers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "voice_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_sid", sa.String(length=34), nullable=False),
        sa.Column("conversation_id", sa.String(length=100), nullable=False),
        sa.Column("caller_hash", sa.String(length=64), nullable=True),
        sa.Column("turns", sa.Integer(), nullable=False),
        sa.Column("silences", sa.Integer(), nullable=False),
        sa.Column("misunderstood", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=True),
        sa.Column("pending", sa.JSON(), nullable=True),
        sa.Column("choices", sa.JSON(), nullable=True),
        sa.Column("last_prompt", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("duration_seconds", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voice_calls")),
        sa.UniqueConstraint("call_sid", name=op.f("uq_voice_calls_call_sid")),
    )
    with op.batch_alter_table("voice_calls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_voice_calls_conversation_id"), ["conversation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_voice_calls_caller_hash"), ["caller_hash"], unique=False)
        batch_op.create_index(batch_op.f("ix_voice_calls_started_at"), ["started_at"], unique=False)
    with op.batch_alter_table("places", schema=None) as batch_op:
        batch_op.add_column(sa.Column("voice_transfer", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("places", schema=None) as batch_op:
        batch_op.drop_column("voice_transfer")
    with op.batch_alter_table("voice_calls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_voice_calls_started_at"))
        batch_op.drop_index(batch_op.f("ix_voice_calls_caller_hash"))
        batch_op.drop_index(batch_op.f("ix_voice_calls_conversation_id"))
    op.drop_table("voice_calls")
