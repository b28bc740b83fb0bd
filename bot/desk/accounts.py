"""Desk accounts: argon2 password hashes and the login rate limit.

The rate limit counts failed attempts in the database, per account and per
IP address, over a sliding window (DESK_LOGIN_MAX_FAILURES within
DESK_LOGIN_WINDOW_MINUTES). An office shares one IP address, so the IP limit
is a few times the account limit. Unknown e-mails are checked against a dummy
hash, so the answer takes as long as for a known one.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.desk.models import ROLES, LoginAttempt, User
from bot.places.models import Conseiller
from bot.settings import get_settings

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


def create_user(session: Session, *, email: str, password: str, role: str,
                conseiller_slug: str | None = None) -> User:
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
        conseiller = session.execute(
            select(Conseiller).where(Conseiller.slug == conseiller_slug)
        ).scalar_one_or_none()
        if conseiller is None:
            raise AccountError(f"no conseiller with slug {conseiller_slug!r} (run `python -m bot places load`)")
    elif role == "conseiller":
        raise AccountError("a conseiller account needs --conseiller <slug>")
    user = User(email=email, password_hash=hash_password(password), role=role,
                conseiller_id=conseiller.id if conseiller else None, active=True)
    session.add(user)
    session.flush()
    return user


def _failures_since(session: Session, since: datetime, **where) -> int:
    query = select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.success.is_(False), LoginAttempt.at >= since
    )
    for column, value in where.items():
        query = query.where(getattr(LoginAttempt, column) == value)
    return session.execute(query).scalar_one()


def login_blocked(session: Session, email: str, ip: str, now: datetime | None = None) -> bool:
    """True when this account or this IP address made too many failed attempts lately."""
    settings = get_settings()
    now = now or datetime.now(timezone.utc)
    since = now - timedelta(minutes=settings.desk_login_window_minutes)
    limit = settings.desk_login_max_failures
    if _failures_since(session, since, email=normalise_email(email)) >= limit:
        return True
    return _failures_since(session, since, ip=ip) >= limit * IP_LIMIT_FACTOR


def authenticate(session: Session, email: str, password: str, ip: str) -> User | None:
    """The user when the password is right; every attempt is recorded. Check `login_blocked` first."""
    email = normalise_email(email)
    user = session.execute(select(User).where(User.email == email)).scalar_one_or_none()
    if user is None or not user.active:
        check_password(_DUMMY_HASH, password)
        ok = False
    else:
        ok = check_password(user.password_hash, password)
    session.add(LoginAttempt(email=email[:200], ip=ip[:64], success=ok))
    if ok:
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        user.last_login_at = datetime.now(timezone.utc)
    session.flush()
    return user if ok else None
