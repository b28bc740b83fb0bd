"""Tables of the conseillers' desk: accounts, login attempts, the audit log and
the record of new-ticket notifications.

Login attempts live in the database (not in a process's memory) so that the
rate limit holds across restarts and processes. A notification row is unique
per ticket: whichever process inserts it first sends it, so it goes out once.
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from bot.db import Base, utcnow

# A prescripteur (a CCAS or France Services agent, a social worker) books for residents from the
# desk and sees only the bookings they made (bot/desk/views/prescriptions.py).
ROLES = ("conseiller", "coordinateur", "prescripteur")
PRESCRIPTEUR = "prescripteur"


class User(Base):
    __tablename__ = "desk_users"

    id = Column(Integer, primary_key=True)
    email = Column(String(200), nullable=False, unique=True)
    password_hash = Column(String(200), nullable=False)  # argon2id
    role = Column(String(20), nullable=False)  # conseiller | coordinateur | prescripteur
    conseiller_id = Column(Integer, ForeignKey("conseillers.id"), nullable=True, index=True)
    structure = Column(String(200), nullable=True)  # a prescripteur's organisation (CCAS de Metz...)
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    last_login_at = Column(DateTime(timezone=True), nullable=True)
    # A conseiller the coordinateur allowed into the review inbox (bot/desk/views/review.py).
    can_review = Column(Boolean, nullable=False, default=False, server_default="0")

    conseiller = relationship("Conseiller")

    # Flask-Login's user protocol.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return bool(self.active)

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def is_coordinateur(self) -> bool:
        return self.role == "coordinateur"

    @property
    def is_prescripteur(self) -> bool:
        return self.role == PRESCRIPTEUR

    @property
    def may_review(self) -> bool:
        """The review inbox: every coordinateur, and the conseillers given the right."""
        return self.is_coordinateur or bool(self.can_review)

    @property
    def display_name(self) -> str:
        if self.conseiller is not None:
            return self.conseiller.name
        return f"{self.email} ({self.structure})" if self.is_prescripteur and self.structure else self.email


class LoginAttempt(Base):
    __tablename__ = "desk_login_attempts"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    email = Column(String(200), nullable=False, index=True)
    ip = Column(String(64), nullable=False, index=True)
    success = Column(Boolean, nullable=False, default=False)


class LoginLock(Base):
    """One row per account (`email:...`) and per address (`ip:...`) that tried to log in.

    A login attempt first writes its rows (INSERT ... ON CONFLICT DO UPDATE): a
    row lock on PostgreSQL, the database's write lock on SQLite, held until the
    attempt is counted. So simultaneous attempts on one account are counted one
    after the other (bot/desk/accounts.py). Purged with the login attempts.
    """

    __tablename__ = "desk_login_locks"

    key = Column(String(300), primary_key=True)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)


class AuditEntry(Base):
    __tablename__ = "desk_audit_log"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    user_id = Column(Integer, ForeignKey("desk_users.id", ondelete="SET NULL"), nullable=True, index=True)
    user_email = Column(String(200), nullable=True)
    ip = Column(String(64), nullable=True)
    action = Column(String(40), nullable=False)  # view, change, export, login...
    target = Column(String(40), nullable=False)  # ticket, permanence, closure, csv...
    target_id = Column(String(64), nullable=True)
    detail = Column(JSON, nullable=False, default=dict)


class TicketNotification(Base):
    __tablename__ = "ticket_notifications"

    id = Column(Integer, primary_key=True)
    ticket_id = Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False, unique=True)
    channel = Column(String(10), nullable=False)  # email | sms | none
    status = Column(String(20), nullable=False)  # sent | failed | skipped
    detail = Column(Text, nullable=True)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
