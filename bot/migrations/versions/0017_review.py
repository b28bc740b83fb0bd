"""review inbox: the conseillers' right to review, and the statistics' weekly counters

Revision ID: 0017_review
Revises: 0016_prescriber
Create Date: 2026-12-01 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_review"
down_revision = "0016_prescriber"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("desk_users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("can_review", sa.Boolean(), server_default="0", nullable=False))
    op.create_table(
        "review_turn_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("week", sa.String(length=8), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_turn_outcomes")),
        sa.UniqueConstraint("week", "outcome", name=op.f("uq_review_turn_outcomes_week")),
    )
    op.create_table(
        "review_answer_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("week", sa.String(length=8), nullable=False),
        sa.Column("answer_key", sa.String(length=120), nullable=False),
        sa.Column("asked", sa.Integer(), nullable=False),
        sa.Column("yes", sa.Integer(), nullable=False),
        sa.Column("no", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_answer_feedback")),
        sa.UniqueConstraint("week", "answer_key", name=op.f("uq_review_answer_feedback_week")),
    )


def downgrade() -> None:
    op.drop_table("review_answer_feedback")
    op.drop_table("review_turn_outcomes")
    with op.batch_alter_table("desk_users", schema=None) as batch_op:
        batch_op.drop_column("can_review")
