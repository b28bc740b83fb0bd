"""Desk accounts: argon2 password hashes and the login rate limit.

The rate limit counts failed attempts in the database, per account and per
IP address, over a sliding window (DESK_LOGIN_MAX_FAILURES within
DESK_LOGIN_WINDOW_MINUTES). An office shares one IP address, so the IP limit
is a few times the account limit; it also stops one address from locking
more than a few accounts. The address is the client's, behind the trusted
proxies (bot/proxies.py). Unknown e-mails are checked against a dummy hash,
so the answer takes as long as for a known one.

The limit holds under simultaneous requests: `begin_attempt` counts the
attempt before the password is checked, atomically. It locks the account's
and the address's rows of `desk_login_locks` (an upsert: a row lock on
PostgreSQL, the write lock on SQLite), counts the failures in the window,
and records this attempt as a failure, in one transaction; only then is the
password checked, and a right one turns the attempt into a success. Twenty
requests at once for one account: five are checked, fifteen are refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.places.models import Conseiller
from bot.privacy.hashing import keyed_hash
from bot.settings import Settings
from bot.staff.models import PRESCRIPTEUR, ROLES, LoginAttempt, LoginLock, User

IP_LIMIT_FACTOR = 4
MIN_PASSWORD_LENGTH = 10

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


class AccountError(ValueError):
    """A user cannot be created as asked (the message says why, in English for the CLI)."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


MAX_STRUCTURE_LENGTH = 200


def create_user(
    session: Session,
    *,
    email: str,
    password: str,
    role: str,
    conseiller_slug: str | None = None,
    structure: str | None = None,
) -> User:
    email = normalise_email(email)
    if "@" not in email:
        raise AccountError("the e-mail address is not valid")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    if session.execute(select(User).where(User.email == email)).scalar_one_or_none():
        raise AccountError(f"a user {email} already exists")
    conseiller = None
    if conseiller_slug:
        conseiller = session.execute(select(Conseiller).where(Conseiller.slug == conseiller_slug)).scalar_one_or_none()
        if conseiller is None:
            raise AccountError(f"no conseiller with slug {conseiller_slug!r} (run `python -m bot places load`)")
    elif role == "conseiller":
        raise AccountError("a conseiller account needs --conseiller <slug>")
    structure = " ".join((structure or "").split())[:MAX_STRUCTURE_LENGTH] or None
    if role == PRESCRIPTEUR:
        if conseiller is not None:
            raise AccountError("a prescripteur account is not a conseiller: no --conseiller")
        if structure is None:
            raise AccountError('a prescripteur account needs --structure "<organisation>" (e.g. "CCAS de Metz")')
    user = User(
        email=email,
        password_hash=hash_password(password),
        role=role,
        conseiller_id=conseiller.id if conseiller else None,
        structure=structure,
        active=True,
    )
    session.add(user)
    session.flush()
    return user


def _failures_since(session: Session, since: datetime, **where) -> int:
    query = (
        select(func.count()).select_from(LoginAttempt).where(LoginAttempt.success.is_(False), LoginAttempt.at >= since)
    )
    for column, value in where.items():
        query = query.where(getattr(LoginAttempt, column) == value)
    return session.execute(query).scalar_one()


@dataclass(frozen=True)
class LoginLimit:
    """At most `max_failures` failed logins per account in `window_minutes` (DESK_LOGIN_MAX_FAILURES,
    DESK_LOGIN_WINDOW_MINUTES, and HASH_KEY: the desk's app factory passes them)."""

    max_failures: int
    window_minutes: int
    hash_key: str = field(repr=False)  # HASH_KEY: the login locks are named by keyed hashes

    @classmethod
    def of(cls, settings: Settings) -> LoginLimit:
        return cls(settings.desk_login_max_failures, settings.desk_login_window_minutes, settings.hash_key)


def login_blocked(session: Session, email: str, ip: str, now: datetime | None = None, *, limit: LoginLimit) -> bool:
    """True when this account or this IP address made too many failed attempts lately."""
    now = now or datetime.now(timezone.utc)
    since = now - timedelta(minutes=limit.window_minutes)
    if _failures_since(session, since, email=normalise_email(email)) >= limit.max_failures:
        return True
    return _failures_since(session, since, ip=ip) >= limit.max_failures * IP_LIMIT_FACTOR


def _lock(session: Session, key: str, now: datetime) -> None:
    """Take (or create) the row of `key` for the rest of the transaction."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(LoginLock).values(key=key, at=now)
    session.execute(statement.on_conflict_do_update(index_elements=["key"], set_={"at": statement.excluded.at}))


def begin_attempt(
    session: Session, email: str, ip: str, now: datetime | None = None, *, limit: LoginLimit
) -> int | None:
    """Count this attempt before any password is checked: its id, or None when the limit is reached.

    Commits: the attempt is recorded as a failure, and the locks released, before
    `finish_attempt` checks the password.
    """
    email, ip = normalise_email(email)[:200], ip[:64]
    now = now or datetime.now(timezone.utc)
    session.commit()  # start from a fresh transaction: the locks come first
    try:
        _lock(session, keyed_hash("login-account:" + email, limit.hash_key), now)
        _lock(session, keyed_hash("login-address:" + ip, limit.hash_key), now)
        if login_blocked(session, email, ip, now, limit=limit):
            session.commit()
            return None
        attempt = LoginAttempt(at=now, email=email, ip=ip, success=False)
        session.add(attempt)
        session.commit()
        return attempt.id
    except Exception:
        session.rollback()
        raise


def finish_attempt(session: Session, attempt_id: int, email: str, password: str) -> User | None:
    """Check the password of a counted attempt; the user when it is right (the attempt becomes a success)."""
    email = normalise_email(email)
    user = session.execute(select(User).where(User.email == email)).scalar_one_or_none()
    if user is None or not user.active:
        check_password(_DUMMY_HASH, password)
        return None
    if not check_password(user.password_hash, password):
        return None
    session.execute(update(LoginAttempt).where(LoginAttempt.id == attempt_id).values(success=True))
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = datetime.now(timezone.utc)
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str, ip: str, *, limit: LoginLimit) -> User | None:
    """The user when the password is right and the limit not reached; every attempt is counted first."""
    attempt_id = begin_attempt(session, email, ip, limit=limit)
    if attempt_id is None:
        return None
    return finish_attempt(session, attempt_id, email, password)
