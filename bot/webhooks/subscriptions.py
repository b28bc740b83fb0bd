"""Subscriptions, as the desk's Webhooks page (coordinateur) manages them.

`key` is the app's HASH_KEY (bot/webhooks/keys.py): the entry point reads it.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.webhooks.keys import hint, new_nonce, signing_secret
from bot.webhooks.models import DeliveryStatus, EventType, WebhookDelivery, WebhookEvent, WebhookSubscription
from bot.webhooks.urls import RefusedURL, check_url

LABELS = {
    EventType.APPOINTMENT_BOOKED: "Rendez-vous pris",
    EventType.APPOINTMENT_MOVED: "Rendez-vous déplacé",
    EventType.APPOINTMENT_CANCELLED: "Rendez-vous annulé",
    EventType.APPOINTMENT_SEEN: "Personne venue",
    EventType.APPOINTMENT_NOSHOW: "Personne absente",
    EventType.TICKET_CREATED: "Ticket créé",
    EventType.TICKET_CLOSED: "Ticket clos",
}


def _kinds(kinds) -> list[str]:
    chosen = [str(EventType(kind)) for kind in kinds if kind in EventType.values()]
    if not chosen:
        raise RefusedURL("Choisissez au moins un événement.")
    return sorted(set(chosen), key=EventType.values().index)


def create(
    session: Session,
    *,
    name: str,
    url: str,
    kinds,
    key: str,
    production: bool,
    allow_private: bool,
    created_by: int | None = None,
) -> tuple[WebhookSubscription, str]:
    """A new subscription and its secret (to show once). `RefusedURL` says what is wrong, in French."""
    url = check_url(url, production=production, allow_private=allow_private)
    name = (name or "").strip()[:120] or url[:120]
    nonce = new_nonce()
    secret = signing_secret(key, nonce)
    subscription = WebhookSubscription(
        name=name,
        url=url,
        kinds=_kinds(kinds),
        enabled=True,
        secret_nonce=nonce,
        secret_hint=hint(secret),
        created_by=created_by,
    )
    session.add(subscription)
    session.flush()
    return subscription, secret


def update(
    session: Session, subscription: WebhookSubscription, *, url: str, kinds, production: bool, allow_private: bool
) -> None:
    subscription.url = check_url(url, production=production, allow_private=allow_private)
    subscription.kinds = _kinds(kinds)
    session.flush()


def rotate(session: Session, subscription: WebhookSubscription, key: str) -> str:
    """A new secret (the previous one stops signing at once); returns it, to show once."""
    subscription.secret_nonce = new_nonce()
    secret = signing_secret(key, subscription.secret_nonce)
    subscription.secret_hint = hint(secret)
    subscription.secret_rotated_at = datetime.now(timezone.utc)
    session.flush()
    return secret


def set_enabled(session: Session, subscription: WebhookSubscription, enabled: bool) -> None:
    """Disabled: nothing is sent; the events of that time are not kept for it (enabled again, it gets
    the events from then on); deliveries already made wait and go once it is enabled."""
    subscription.enabled = bool(enabled)
    session.flush()


def all_subscriptions(session: Session) -> list[WebhookSubscription]:
    return list(session.execute(select(WebhookSubscription).order_by(WebhookSubscription.id)).scalars())


def delivery_log(
    session: Session, subscription_id: int, limit: int = 100
) -> list[tuple[WebhookDelivery, WebhookEvent]]:
    """The last deliveries of a subscription, newest first, with their event (kind, uid, occurred_at)."""
    return list(
        session.execute(
            select(WebhookDelivery, WebhookEvent)
            .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id)
            .where(WebhookDelivery.subscription_id == subscription_id)
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        ).all()
    )


def counts(session: Session, subscription_id: int) -> dict[str, int]:
    rows = session.execute(select(WebhookDelivery.status).where(WebhookDelivery.subscription_id == subscription_id))
    found = {status.value: 0 for status in DeliveryStatus}
    for (status,) in rows:
        found[str(status)] += 1
    return found


def sent_about(session: Session, appointment_ids: list[int], ticket_ids: list[int]) -> list[dict]:
    """The right of access (bot/data_rights/export.py): the events about these appointments and tickets,
    and to which system each went (the recipients, GDPR art. 15)."""
    from sqlalchemy import or_

    rows = session.execute(
        select(WebhookEvent, WebhookDelivery, WebhookSubscription)
        .join(WebhookDelivery, WebhookDelivery.event_id == WebhookEvent.id)
        .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
        .where(
            or_(
                WebhookEvent.appointment_id.in_(appointment_ids or [-1]), WebhookEvent.ticket_id.in_(ticket_ids or [-1])
            )
        )
        .order_by(WebhookEvent.id, WebhookDelivery.id)
    ).all()
    return [
        {
            "event_id": row.uid,
            "type": str(row.kind),
            "occurred_at": row.occurred_at.isoformat(),
            "sent_to": subscription.name,
            "status": str(delivery.status),
            "payload": row.payload,
        }
        for row, delivery, subscription in rows
    ]
