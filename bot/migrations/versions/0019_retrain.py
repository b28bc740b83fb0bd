"""model versions: the history of retrained models, the one in service, the one request running

Revision ID: 0019_retrain
Revises: 0018_webhooks
Create Date: 2026-12-01 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_retrain"
down_revision = "0018_webhooks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "model_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=True),
        sa.Column("requested_by_name", sa.String(length=120), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Integer(), nullable=True),
        sa.Column("serving", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("served_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("training_seconds", sa.Integer(), nullable=True),
        sa.Column("reviewed_examples", sa.Integer(), nullable=True),
        sa.Column("path", sa.String(length=500), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("figures", sa.JSON(), nullable=True),
        sa.Column("baseline_id", sa.Integer(), nullable=True),
        sa.Column("baseline_figures", sa.JSON(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["requested_by"],
            ["desk_users.id"],
            name=op.f("fk_model_versions_requested_by_desk_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_model_versions")),
        sa.UniqueConstraint("active", name=op.f("uq_model_versions_active")),
        sa.UniqueConstraint("serving", name=op.f("uq_model_versions_serving")),
    )
    with op.batch_alter_table("model_versions", schema=None) as batch_op:
        for column in ("created_at", "status"):
            batch_op.create_index(batch_op.f(f"ix_model_versions_{column}"), [column], unique=False)


def downgrade() -> None:
    op.drop_table("model_versions")
