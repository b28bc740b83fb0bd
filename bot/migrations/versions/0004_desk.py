"""desk: accounts, login attempts, audit log, ticket notifications

Revision ID: 0004_desk
Revises: 0003_sms
Create Date: 2026-11-22 21:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_desk"
down_revision = "0003_sms"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "desk_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("conseiller_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["conseiller_id"], ["conseillers.id"], name=op.f("fk_desk_users_conseiller_id_conseillers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_desk_users_email")),
    )
    with op.batch_alter_table("desk_users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_desk_users_conseiller_id"), ["conseiller_id"], unique=False)

    op.create_table(
        "desk_login_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_login_attempts")),
    )
    with op.batch_alter_table("desk_login_attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_desk_login_attempts_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_desk_login_attempts_email"), ["email"], unique=False)
        batch_op.create_index(batch_op.f("ix_desk_login_attempts_ip"), ["ip"], unique=False)

    op.create_table(
        "desk_audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("user_email", sa.String(length=200), nullable=True),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target", sa.String(length=40), nullable=False),
        sa.Column("target_id", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["desk_users.id"], name=op.f("fk_desk_audit_log_user_id_desk_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_audit_log")),
    )
    with op.batch_alter_table("desk_audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_desk_audit_log_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_desk_audit_log_user_id"), ["user_id"], unique=False)

    op.create_table(
        "ticket_notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_ticket_notifications_ticket_id_tickets"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_notifications")),
        sa.UniqueConstraint("ticket_id", name=op.f("uq_ticket_notifications_ticket_id")),
    )


def downgrade() -> None:
    op.drop_table("ticket_notifications")
    with op.batch_alter_table("desk_audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_desk_audit_log_user_id"))
        batch_op.drop_index(batch_op.f("ix_desk_audit_log_at"))
    op.drop_table("desk_audit_log")
    with op.batch_alter_table("desk_login_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_desk_login_attempts_ip"))
        batch_op.drop_index(batch_op.f("ix_desk_login_attempts_email"))
        batch_op.drop_index(batch_op.f("ix_desk_login_attempts_at"))
    op.drop_table("desk_login_attempts")
    with op.batch_alter_table("desk_users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_desk_users_conseiller_id"))
    op.drop_table("desk_users")
