"""The opposition (STOP) list: numbers that receive nothing more until START.

Only the keyed hash of a number is kept, so the list survives an erasure
request without holding the number itself.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.privacy.hashing import phone_hash
from bot.sms.models import OptOut


def is_opted_out(session: Session, e164: str, key: str) -> bool:
    """`key`: HASH_KEY, as for every function here."""
    return session.execute(select(OptOut.id).where(OptOut.phone_hash == phone_hash(e164, key))).first() is not None


def opt_out(session: Session, e164: str, key: str, source: str = "sms") -> None:
    if is_opted_out(session, e164, key):
        return
    try:
        with session.begin_nested():
            session.add(OptOut(phone_hash=phone_hash(e164, key), source=source))
    except IntegrityError:
        pass  # recorded meanwhile by another process


def opt_in(session: Session, e164: str, key: str) -> None:
    session.execute(delete(OptOut).where(OptOut.phone_hash == phone_hash(e164, key)))
