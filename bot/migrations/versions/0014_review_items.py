"""review items: messages the assistant did not understand, for the desk's review inbox

Revision ID: 0014_review_items
Revises: 0013_calendar_feeds
Create Date: 2026-12-01 12:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_review_items"
down_revision = "0013_calendar_feeds"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("conversation_id", sa.String(length=100), nullable=False),
        sa.Column("channel", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("context", sa.Text(), nullable=True),
        sa.Column("candidates", sa.JSON(), nullable=False),
        sa.Column("answered_with", sa.String(length=120), nullable=True),
        sa.Column("thematique", sa.String(length=60), nullable=True),
        sa.Column("similar_key", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=20), nullable=True),
        sa.Column("label_answer", sa.String(length=120), nullable=True),
        sa.Column("labelled_by", sa.Integer(), nullable=True),
        sa.Column("labelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("exported_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["labelled_by"], ["desk_users.id"], name=op.f("fk_review_items_labelled_by_desk_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_items")),
    )
    with op.batch_alter_table("review_items", schema=None) as batch_op:
        for column in ("created_at", "conversation_id", "reason", "similar_key", "label"):
            batch_op.create_index(batch_op.f(f"ix_review_items_{column}"), [column], unique=False)


def downgrade() -> None:
    op.drop_table("review_items")
