"""calendar feeds: secret, revocable ICS feed links per conseiller and per place

Revision ID: 0013_calendar_feeds
Revises: 0007_login_locks, 0009_content_checks
Create Date: 2026-12-01 11:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_calendar_feeds"
down_revision = "0012_conversation_holds"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "desk_calendar_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("conseiller_id", sa.Integer(), nullable=True),
        sa.Column("place_id", sa.Integer(), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["conseiller_id"], ["conseillers.id"], name=op.f("fk_desk_calendar_feeds_conseiller_id_conseillers")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["desk_users.id"],
            name=op.f("fk_desk_calendar_feeds_created_by_desk_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(["place_id"], ["places.id"], name=op.f("fk_desk_calendar_feeds_place_id_places")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_calendar_feeds")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_desk_calendar_feeds_token_hash")),
    )
    with op.batch_alter_table("desk_calendar_feeds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_desk_calendar_feeds_conseiller_id"), ["conseiller_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_desk_calendar_feeds_place_id"), ["place_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("desk_calendar_feeds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_desk_calendar_feeds_place_id"))
        batch_op.drop_index(batch_op.f("ix_desk_calendar_feeds_conseiller_id"))
    op.drop_table("desk_calendar_feeds")
