"""conversation holds: a conseiller takes over a resident's conversation, and the messages of the hold

Revision ID: 0012_conversation_holds
Revises: 0006_web_deliveries
Create Date: 2026-12-01 10:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_conversation_holds"
down_revision = "0011_voice_calls"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversation_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=100), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("holder_name", sa.String(length=120), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("place_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=20), nullable=True),
        sa.Column("last_read_id", sa.Integer(), nullable=False),
        sa.Column("away_notice_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["place_id"], ["places.id"], name=op.f("fk_conversation_holds_place_id_places"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_conversation_holds_ticket_id_tickets"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["desk_users.id"], name=op.f("fk_conversation_holds_user_id_desk_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_holds")),
        sa.UniqueConstraint("conversation_id", name=op.f("uq_conversation_holds_conversation_id")),
    )
    with op.batch_alter_table("conversation_holds", schema=None) as batch_op:
        for column in ("user_id", "ticket_id", "place_id", "last_activity_at", "ended_at"):
            batch_op.create_index(batch_op.f(f"ix_conversation_holds_{column}"), [column], unique=False)
    op.create_table(
        "conversation_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=100), nullable=False),
        sa.Column("hold_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(length=12), nullable=False),
        sa.Column("author_name", sa.String(length=120), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hold_id"],
            ["conversation_holds.id"],
            name=op.f("fk_conversation_messages_hold_id_conversation_holds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_messages")),
    )
    with op.batch_alter_table("conversation_messages", schema=None) as batch_op:
        for column in ("conversation_id", "hold_id", "at"):
            batch_op.create_index(batch_op.f(f"ix_conversation_messages_{column}"), [column], unique=False)


def downgrade() -> None:
    op.drop_table("conversation_messages")
    op.drop_table("conversation_holds")
