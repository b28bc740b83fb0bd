"""Delivery of the outbox (the `python -m bot webhooks` job).

1. `dispatch`: each new `webhook_events` row becomes one `webhook_deliveries`
   row per enabled subscription that chose its kind (and existed when it
   happened). The event is claimed with one conditional UPDATE and the pair
   (event, subscription) is unique, so two runners never send it twice.
2. `deliver_due`: each pending delivery whose time has come is claimed (its
   next try pushed back by `LEASE`, conditionally), POSTed with a short timeout,
   signed (bot/webhooks/signing.py), without following redirects; a 2xx is
   delivered; anything else is retried after 1 min, 5 min, 30 min, 2 h, 6 h,
   then `failed` (6 attempts). "Renvoyer" in the desk gives a failed one one more try.

The receiver's answer body is never stored; `last_error` is our own words.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

import requests
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.booking.timeutil import as_utc
from bot.webhooks import payload as payloads
from bot.webhooks.keys import signing_secret
from bot.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEvent, WebhookSubscription
from bot.webhooks.signing import signed_headers
from bot.webhooks.urls import RefusedURL, check_url

log = logging.getLogger(__name__)

BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=6))
MAX_ATTEMPTS = len(BACKOFF) + 1
TIMEOUT_SECONDS = 5.0
LEASE = timedelta(minutes=2)  # a claimed delivery is not picked again for this long (its runner may have died)
BATCH = 200


@dataclass
class DeliveryReport:
    dispatched: int = 0
    delivered: int = 0
    retried: int = 0
    failed: int = 0

    def summary(self) -> str:
        return (
            f"webhooks: {self.dispatched} event(s) dispatched, {self.delivered} delivered, "
            f"{self.retried} to retry, {self.failed} failed"
        )


def _now(now: datetime | None) -> datetime:
    return as_utc(now or datetime.now(timezone.utc))


def dispatch(session: Session, now: datetime | None = None) -> int:
    """Fan the new events out to the subscriptions; the caller commits."""
    now = _now(now)
    subscriptions = list(
        session.execute(select(WebhookSubscription).where(WebhookSubscription.enabled.is_(True))).scalars()
    )
    rows = list(
        session.execute(
            select(WebhookEvent).where(WebhookEvent.dispatched_at.is_(None)).order_by(WebhookEvent.id).limit(BATCH)
        ).scalars()
    )
    count = 0
    for row in rows:
        claimed = session.execute(
            update(WebhookEvent)
            .where(WebhookEvent.id == row.id, WebhookEvent.dispatched_at.is_(None))
            .values(dispatched_at=now)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:
            continue
        for subscription in subscriptions:
            if str(row.kind) in (subscription.kinds or []) and as_utc(row.occurred_at) >= as_utc(
                subscription.created_at
            ):
                session.add(
                    WebhookDelivery(
                        uid=str(uuid.uuid4()),
                        event_id=row.id,
                        subscription_id=subscription.id,
                        status=DeliveryStatus.PENDING,
                        attempts=0,
                        next_attempt_at=row.occurred_at,
                    )
                )
        count += 1
    session.flush()
    return count


def record_attempt(
    delivery: WebhookDelivery, now: datetime, *, status_code: int | None, error: str | None
) -> DeliveryStatus:
    """Count one attempt: delivered on a 2xx, else the next try by `BACKOFF`, or failed."""
    delivery.attempts = (delivery.attempts or 0) + 1
    delivery.last_attempt_at = now
    delivery.last_status_code = status_code
    if status_code is not None and 200 <= status_code < 300:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at, delivery.last_error = (
            DeliveryStatus.DELIVERED,
            now,
            None,
            None,
        )
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at, delivery.last_error = DeliveryStatus.FAILED, None, error
    else:
        delivery.status, delivery.last_error = DeliveryStatus.PENDING, error
        delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
    return delivery.status


def redeliver(session: Session, delivery: WebhookDelivery, now: datetime | None = None) -> None:
    """A failed delivery gets one more try at the next run (the desk's "Renvoyer")."""
    if delivery.status == DeliveryStatus.FAILED:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.PENDING, _now(now)
        session.flush()


def _claim(session: Session, delivery_id: int, now: datetime) -> bool:
    result = session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery_id,
            WebhookDelivery.status == DeliveryStatus.PENDING,
            WebhookDelivery.next_attempt_at <= now,
        )
        .values(next_attempt_at=now + LEASE)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
    response = requests.post(url, data=body, headers=headers, timeout=timeout, allow_redirects=False)
    response.close()
    return response.status_code


def send_one(
    delivery: WebhookDelivery,
    row: WebhookEvent,
    subscription: WebhookSubscription,
    *,
    secret_key: str,
    production: bool,
    allow_private: bool,
    now: datetime,
    timeout: float,
    post: Callable[[str, bytes, dict, float], int] = _post,
) -> tuple[int | None, str | None]:
    """One signed POST: (status code, None) or (status code or None, why it failed)."""
    try:
        url = check_url(subscription.url, production=production, allow_private=allow_private)
    except RefusedURL as refused:
        return None, f"adresse refusée : {refused}"
    body = payloads.body(row.payload)
    headers = signed_headers(
        signing_secret(secret_key, subscription.secret_nonce),
        kind=str(row.kind),
        delivery_uid=delivery.uid,
        timestamp=int(now.timestamp()),
        body=body,
    )
    try:
        code = post(url, body, headers, timeout)
    except requests.Timeout:
        return None, f"délai dépassé ({timeout:g} s)"
    except requests.RequestException as error:
        return None, f"connexion impossible ({type(error).__name__})"
    return code, None if 200 <= code < 300 else f"réponse HTTP {code}"


def deliver_due(
    factory: sessionmaker,
    *,
    secret_key: str,
    production: bool,
    allow_private: bool = False,
    now: datetime | None = None,
    timeout: float = TIMEOUT_SECONDS,
    post: Callable[[str, bytes, dict, float], int] = _post,
) -> DeliveryReport:
    """Dispatch the new events, then send what is due; commits after each step (a crash loses no attempt)."""
    now = _now(now)
    report = DeliveryReport()
    session = factory()
    try:
        report.dispatched = dispatch(session, now)
        session.commit()
        due = list(
            session.execute(
                select(WebhookDelivery.id)
                .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
                .where(
                    WebhookDelivery.status == DeliveryStatus.PENDING,
                    WebhookDelivery.next_attempt_at <= now,
                    WebhookSubscription.enabled.is_(True),
                )
                .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
                .limit(BATCH)
            ).scalars()
        )
        for delivery_id in due:
            claimed = _claim(session, delivery_id, now)
            session.commit()
            if not claimed:
                continue
            delivery = session.get(WebhookDelivery, delivery_id)
            session.refresh(delivery)
            code, error = send_one(
                delivery,
                session.get(WebhookEvent, delivery.event_id),
                session.get(WebhookSubscription, delivery.subscription_id),
                secret_key=secret_key,
                production=production,
                allow_private=allow_private,
                now=now,
                timeout=timeout,
                post=post,
            )
            status = record_attempt(delivery, now, status_code=code, error=error)
            session.commit()
            if status == DeliveryStatus.DELIVERED:
                report.delivered += 1
            elif status == DeliveryStatus.FAILED:
                report.failed += 1
                log.warning("webhook delivery %s failed after %s attempts: %s", delivery.uid, delivery.attempts, error)
            else:
                report.retried += 1
    finally:
        session.rollback()
        session.close()
    return report


KEEP = timedelta(days=30)


def purge_old(session: Session, now: datetime | None = None) -> int:
    """Retention (bot/data_rights/retention.py): events older than `KEEP` go, with their deliveries (ON DELETE CASCADE)."""
    cutoff = _now(now) - KEEP
    old = select(WebhookEvent.id).where(WebhookEvent.occurred_at < cutoff)
    session.execute(
        delete(WebhookDelivery).where(WebhookDelivery.event_id.in_(old)).execution_options(synchronize_session=False)
    )
    return (
        session.execute(
            delete(WebhookEvent).where(WebhookEvent.occurred_at < cutoff).execution_options(synchronize_session=False)
        ).rowcount
        or 0
    )
