"""Issue #22 points 4-5: a booking made through bot/handoff reaches a real local receiver,
signed as the README tells receivers to check; a failing receiver is retried with backoff,
then marked failed; two runs never send one event twice; SSRF care."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot import handoff
from bot.booking.models import Appointment
from bot.db import session_factory, session_scope
from bot.tickets.models import CancelledBy
from bot.webhooks import subscriptions
from bot.webhooks.delivery import BACKOFF, MAX_ATTEMPTS, deliver_due, redeliver
from bot.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEvent
from bot.webhooks.urls import RefusedURL, check_url
from tests.desk.conftest import make_booked_ticket
from tests.support.live_bot import TEST_SECRETS
from tests.webhooks.conftest import KEY

HASH_KEY = TEST_SECRETS["HASH_KEY"]

ALL = [
    "appointment.booked",
    "appointment.moved",
    "appointment.cancelled",
    "appointment.seen",
    "appointment.noshow",
    "ticket.created",
    "ticket.closed",
]


def subscribe(engine, url: str, kinds=ALL) -> tuple[int, str]:
    with session_scope(engine) as session:
        subscription, secret = subscriptions.create(
            session, name="Agenda de la Ville", url=url, kinds=kinds, key=KEY, production=False, allow_private=False
        )
        return subscription.id, secret


def run(engine, now: datetime, **options):
    options.setdefault("timeout", 0.5)
    return deliver_due(
        session_factory(engine), secret_key=KEY, production=options.pop("production", False), now=now, **options
    )


def receiver_verifies(secret: str, headers: dict, body: bytes) -> bool:
    """What the README's receiver snippet does."""
    timestamp = headers["X-Aidenum-Timestamp"]
    expected = "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["X-Aidenum-Signature"])


def deliveries(engine) -> list[WebhookDelivery]:
    with session_scope(engine) as session:
        return list(session.execute(select(WebhookDelivery).order_by(WebhookDelivery.id)).scalars())


def test_a_booking_reaches_the_receiver_signed_with_the_subscription_secret(desk_engine, receiver):
    _subscription_id, secret = subscribe(desk_engine, receiver.url)
    ticket_id, appointment_id = make_booked_ticket(desk_engine)
    report = run(desk_engine, datetime.now(timezone.utc))
    assert (report.dispatched, report.delivered) == (2, 2)
    assert [r.headers["X-Aidenum-Event"] for r in receiver.requests] == ["appointment.booked", "ticket.created"]
    with session_scope(desk_engine) as session:
        uids = {row.kind: row.uid for row in session.execute(select(WebhookEvent)).scalars()}
    delivery_uids = {d.uid for d in deliveries(desk_engine)}
    for request in receiver.requests:
        assert request.path == "/hooks/aidenum" and request.headers["Content-Type"] == "application/json"
        assert receiver_verifies(secret, request.headers, request.body)
        assert not receiver_verifies(secret + "x", request.headers, request.body)
        assert not receiver_verifies(secret, request.headers, request.body.replace(b"booked", b"bookeD"))
        payload = json.loads(request.body)
        assert payload["type"] == request.headers["X-Aidenum-Event"]
        assert payload["event_id"] == uids[payload["type"]]  # the idempotency key
        assert request.headers["X-Aidenum-Delivery"] in delivery_uids
        assert payload["appointment_id"] == appointment_id
    assert json.loads(receiver.requests[1].body)["ticket_id"] == ticket_id
    assert {d.status for d in deliveries(desk_engine)} == {DeliveryStatus.DELIVERED}
    assert run(desk_engine, datetime.now(timezone.utc) + timedelta(hours=1)).delivered == 0
    assert len(receiver.requests) == 2  # delivered once, whatever the number of runs


def test_a_failing_receiver_is_retried_with_backoff_then_marked_failed(desk_engine, receiver):
    subscribe(desk_engine, receiver.url, kinds=["appointment.booked"])
    make_booked_ticket(desk_engine)
    receiver.script = [500, "hang", 503, "hang", 500, 502]
    now = datetime.now(timezone.utc)
    run(desk_engine, now)
    seen = [now]
    for attempt, wait in enumerate(BACKOFF, start=1):
        [delivery] = deliveries(desk_engine)
        assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == attempt
        next_try = (
            delivery.next_attempt_at.replace(tzinfo=timezone.utc)
            if delivery.next_attempt_at.tzinfo is None
            else delivery.next_attempt_at
        )
        assert next_try == seen[-1] + wait
        assert delivery.last_error in ("réponse HTTP 500", "réponse HTTP 503", "délai dépassé (0.5 s)")
        assert run(desk_engine, next_try - timedelta(seconds=1)).retried == 0  # not yet due
        assert len(receiver.requests) == attempt
        run(desk_engine, next_try)
        seen.append(next_try)
    [delivery] = deliveries(desk_engine)
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == MAX_ATTEMPTS == 6
    assert delivery.next_attempt_at is None and delivery.last_status_code == 502
    assert len(receiver.requests) == 6
    assert len({r.headers["X-Aidenum-Delivery"] for r in receiver.requests}) == 1
    assert run(desk_engine, seen[-1] + timedelta(days=1)).delivered == 0 and len(receiver.requests) == 6

    with session_scope(desk_engine) as session:  # "Renvoyer" in the desk, once the receiver is mended
        redeliver(session, session.get(WebhookDelivery, delivery.id), now=seen[-1] + timedelta(days=1))
    assert run(desk_engine, seen[-1] + timedelta(days=1)).delivered == 1
    [delivery] = deliveries(desk_engine)
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.last_status_code == 200


def test_a_subscription_gets_only_the_events_it_chose_and_none_while_disabled(desk_engine, receiver):
    subscribe(desk_engine, receiver.url, kinds=["appointment.cancelled"])
    first_ticket, first = make_booked_ticket(desk_engine)
    _second_ticket, second = make_booked_ticket(desk_engine, phone="+33612340000")
    assert run(desk_engine, datetime.now(timezone.utc)).delivered == 0 and receiver.requests == []  # not chosen
    with session_scope(desk_engine) as session:
        subscriptions.set_enabled(session, subscriptions.all_subscriptions(session)[0], False)
    with session_scope(desk_engine) as session:
        handoff.cancel(session, session.get(Appointment, first), by=CancelledBy.RESIDENT, actor="resident")
    run(desk_engine, datetime.now(timezone.utc))
    assert receiver.requests == []  # disabled: nothing sent, nothing kept for later
    with session_scope(desk_engine) as session:
        subscriptions.set_enabled(session, subscriptions.all_subscriptions(session)[0], True)
    with session_scope(desk_engine) as session:
        handoff.cancel(session, session.get(Appointment, second), by=CancelledBy.SERVICE, actor="nadia")
    assert run(desk_engine, datetime.now(timezone.utc)).delivered == 1
    assert [json.loads(r.body)["appointment_id"] for r in receiver.requests] == [second]


def test_a_production_runner_refuses_a_loopback_receiver(desk_engine, receiver):
    subscribe(desk_engine, receiver.url, kinds=["appointment.booked"])
    make_booked_ticket(desk_engine)
    run(desk_engine, datetime.now(timezone.utc), production=True)
    assert receiver.requests == []
    [delivery] = deliveries(desk_engine)
    assert delivery.attempts == 1 and delivery.last_error.startswith("adresse refusée")
    run(desk_engine, datetime.now(timezone.utc) + timedelta(minutes=2), production=True, allow_private=True)
    assert len(receiver.requests) == 0  # production also wants https


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/x",
        "file:///etc/passwd",
        "gopher://example.org",
        "javascript:alert(1)",
        "https://",
        "https://user:pass@example.org/hook",
    ],
)
def test_only_http_and_https_urls_are_accepted(url):
    with pytest.raises(RefusedURL):
        check_url(url, production=False)


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://10.0.0.5/hook",
        "https://192.168.1.2/hook",
        "https://169.254.169.254/latest",
        "https://[::1]/hook",
        "https://localhost/hook",
        "https://[::ffff:10.0.0.1]/hook",
        "https://0.0.0.0/",
    ],
)
def test_production_refuses_private_and_loopback_addresses_unless_allowed(url):
    with pytest.raises(RefusedURL):
        check_url(url, production=True)
    assert check_url(url, production=True, allow_private=True) == url


def test_production_wants_https_and_development_allows_a_local_http_receiver():
    with pytest.raises(RefusedURL):
        check_url("http://93.184.215.14/hook", production=True)
    assert check_url("https://93.184.215.14/hook", production=True) == "https://93.184.215.14/hook"
    assert check_url("http://127.0.0.1:8765/hook", production=False) == "http://127.0.0.1:8765/hook"


def test_the_readme_snippet_verifies_a_real_delivery_and_refuses_a_tampered_or_old_one(desk_engine, receiver):
    from bot.settings import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("```python\nimport hashlib, hmac, time\n")
    snippet = readme[start + len("```python\n") : readme.index("```", start + 10)]
    namespace: dict = {}
    exec(compile(snippet, "README.md", "exec"), namespace)
    verify = namespace["verify"]
    _subscription_id, secret = subscribe(desk_engine, receiver.url, kinds=["appointment.booked"])
    make_booked_ticket(desk_engine)
    run(desk_engine, datetime.now(timezone.utc))
    [request] = receiver.requests
    assert verify(secret, request.headers, request.body)
    assert not verify(secret, request.headers, request.body + b" ")
    old = {**request.headers, "X-Aidenum-Timestamp": str(int(request.headers["X-Aidenum-Timestamp"]) - 3600)}
    assert not verify(secret, old, request.body)


def test_on_postgresql_a_booking_is_delivered_once_by_two_runs(postgres_url, monkeypatch, receiver):
    from bot.settings import reload_settings
    from tests.conftest import fresh_schema, load_city_places

    engine = fresh_schema(postgres_url)
    load_city_places(postgres_url)
    monkeypatch.setenv("DATABASE_URL", postgres_url)
    for key in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"):
        monkeypatch.setenv(key, "")
    reload_settings()
    try:
        _subscription_id, secret = subscribe(engine, receiver.url)
        make_booked_ticket(engine)
        now = datetime.now(timezone.utc)
        assert run(engine, now).delivered == 2 and run(engine, now).delivered == 0
        assert len(receiver.requests) == 2
        assert all(receiver_verifies(secret, r.headers, r.body) for r in receiver.requests)
    finally:
        engine.dispose()
        monkeypatch.undo()
        reload_settings()


def test_the_access_export_names_the_events_sent_about_the_person_and_to_whom(desk_engine, receiver):
    from bot.data_rights.export import export_for_phone
    from tests.desk.conftest import RESIDENT_PHONE

    subscribe(desk_engine, receiver.url, kinds=["appointment.booked"])
    _ticket_id, appointment_id = make_booked_ticket(desk_engine)
    make_booked_ticket(desk_engine, phone="+33612340000")  # someone else's
    run(desk_engine, datetime.now(timezone.utc))
    with session_scope(desk_engine) as session:
        sent = export_for_phone(session, RESIDENT_PHONE, HASH_KEY)["webhooks_sent"]
    assert [(s["type"], s["sent_to"], s["status"]) for s in sent] == [
        ("appointment.booked", "Agenda de la Ville", "delivered")
    ]
    assert sent[0]["payload"]["appointment_id"] == appointment_id
    with session_scope(desk_engine) as session:
        assert export_for_phone(session, "+33699999999", HASH_KEY)["webhooks_sent"] == []
