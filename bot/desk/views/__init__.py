"""The desk's blueprints, one per area, and the helpers they share."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from bot.desk import client_ip, db
from bot.staff.audit import audit


def actor() -> str:
    """How a desk user is named in a ticket's history."""
    return current_user.display_name[:80]


def require_coordinateur() -> None:
    if not current_user.is_coordinateur:
        abort(403)


def log(action: str, target: str, target_id=None, detail: dict | None = None) -> None:
    audit(db(), current_user, action, target, target_id, detail, ip=client_ip())
