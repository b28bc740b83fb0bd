"""login locks: one row per account and per address, locked while a login attempt is counted

Revision ID: 0007_login_locks
Revises: 0006_web_deliveries
Create Date: 2026-12-01 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_login_locks"
down_revision = "0006_web_deliveries"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "desk_login_locks",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_desk_login_locks")),
    )
    with op.batch_alter_table("desk_login_locks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_desk_login_locks_at"), ["at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("desk_login_locks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_desk_login_locks_at"))
    op.drop_table("desk_login_locks")
