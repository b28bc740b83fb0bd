"""The audit log: who viewed or changed what in the desk, and when.

Entries name the target (a ticket id, a permanence id...) and never copy
residents' messages or phone numbers.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.staff.models import AuditEntry


def audit(
    session: Session, user, action: str, target: str, target_id=None, detail: dict | None = None, ip: str | None = None
) -> AuditEntry:
    entry = AuditEntry(
        user_id=getattr(user, "id", None),
        user_email=getattr(user, "email", None),
        ip=ip,
        action=action,
        target=target,
        target_id=None if target_id is None else str(target_id),
        detail=detail or {},
    )
    session.add(entry)
    session.flush()
    return entry
