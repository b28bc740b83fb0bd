"""Issue #22 point 4: the desk's Webhooks page. Coordinateur only (a conseiller gets 403),
CSRF on every form, the secret shown once and never stored, enable/disable, rotation,
the delivery log with "Renvoyer" for a failed delivery."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from sqlalchemy import select, text

from bot.db import session_factory, session_scope
from bot.desk import create_app
from bot.webhooks.delivery import MAX_ATTEMPTS, deliver_due
from bot.webhooks.keys import signing_secret
from bot.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from tests.desk.conftest import login, make_booked_ticket, make_user, post_form
from tests.webhooks.conftest import KEY

KINDS = ["appointment.booked", "ticket.created"]


@pytest.fixture
def hook_app(hash_key, desk_env):
    app = create_app(desk_env[0])
    app.config["TESTING"] = True
    return app


@pytest.fixture
def coordinateur(hook_app, desk_engine):
    make_user(desk_engine, "coord@metz.fr", "coordinateur")
    client = hook_app.test_client()
    login(client, "coord@metz.fr")
    return client


def create(client, url: str, kinds=KINDS):
    return post_form(client, "/webhooks", "/webhooks", {"name": "Agenda Outlook", "url": url, "kinds": kinds})


def shown_secret(html: str) -> str | None:
    match = re.search(r'id="webhook-secret"|value="(whsec_[A-Za-z0-9_-]+)"', html)
    found = re.findall(r'value="(whsec_[A-Za-z0-9_-]+)"', html)
    return found[0] if match and found else None


def test_a_conseiller_gets_403_and_an_anonymous_visitor_the_login_page(hook_app, desk_engine):
    make_user(desk_engine, "camille@metz.fr", "conseiller", "camille")
    anonymous = hook_app.test_client()
    assert anonymous.get("/webhooks").status_code == 302
    assert anonymous.post("/webhooks", data={"url": "http://127.0.0.1/x"}).status_code == 401
    client = hook_app.test_client()
    login(client, "camille@metz.fr")
    assert client.get("/webhooks").status_code == 403
    assert client.get("/webhooks/1").status_code == 403
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").get_data(as_text=True)).group(1)
    refused = client.post(
        "/webhooks", data={"csrf_token": token, "name": "x", "url": "http://127.0.0.1/x", "kinds": KINDS}
    )
    assert refused.status_code == 403
    assert "Webhooks" not in client.get("/").get_data(as_text=True)
    with session_scope(desk_engine) as session:
        assert session.execute(select(WebhookSubscription)).first() is None


def test_every_form_needs_its_csrf_token(coordinateur, desk_engine):
    assert (
        coordinateur.post("/webhooks", data={"name": "x", "url": "http://127.0.0.1/x", "kinds": KINDS}).status_code
        == 400
    )
    create(coordinateur, "http://127.0.0.1:9/hook")
    for action in ("/webhooks/1/activer", "/webhooks/1/secret", "/webhooks/1/modifier"):
        assert coordinateur.post(action, data={"enabled": "0"}).status_code == 400, action


def test_the_secret_is_shown_once_signs_and_is_not_in_the_database(coordinateur, desk_engine):
    page = create(coordinateur, "http://127.0.0.1:9/hook")
    assert page.status_code == 200
    secret = shown_secret(page.get_data(as_text=True))
    assert secret is not None
    with session_scope(desk_engine) as session:
        subscription = session.execute(select(WebhookSubscription)).scalar_one()
        assert signing_secret(KEY, subscription.secret_nonce) == secret
        assert subscription.kinds == KINDS and subscription.enabled
        dump = " ".join(str(v) for row in session.execute(text("SELECT * FROM webhook_subscriptions")) for v in row)
        assert secret not in dump and secret[6:] not in dump
        assert secret[-4:] in subscription.secret_hint
        audit = [str(v) for row in session.execute(text("SELECT * FROM desk_audit_log")) for v in row]
        assert not any(secret[6:] in value for value in audit)
    listing = coordinateur.get("/webhooks").get_data(as_text=True)
    assert shown_secret(listing) is None and "Agenda Outlook" in listing and secret[-4:] in listing

    rotated = post_form(coordinateur, "/webhooks", "/webhooks/1/secret", {})
    new_secret = shown_secret(rotated.get_data(as_text=True))
    assert new_secret and new_secret != secret
    with session_scope(desk_engine) as session:
        assert signing_secret(KEY, session.execute(select(WebhookSubscription)).scalar_one().secret_nonce) == new_secret


def test_a_refused_url_is_said_in_french_and_nothing_is_saved(coordinateur, desk_engine):
    page = create(coordinateur, "ftp://example.org/hook")
    assert page.status_code == 400 and "https://" in page.get_data(as_text=True)
    page = create(coordinateur, "http://127.0.0.1:9/hook", kinds=[])
    assert page.status_code == 400 and "au moins un événement" in page.get_data(as_text=True)
    with session_scope(desk_engine) as session:
        assert session.execute(select(WebhookSubscription)).first() is None


def test_disable_and_change_the_events(coordinateur, desk_engine):
    create(coordinateur, "http://127.0.0.1:9/hook")
    post_form(coordinateur, "/webhooks", "/webhooks/1/activer", {"enabled": "0"})
    with session_scope(desk_engine) as session:
        assert session.get(WebhookSubscription, 1).enabled is False
    assert "Désactivé" in coordinateur.get("/webhooks").get_data(as_text=True)
    post_form(
        coordinateur,
        "/webhooks/1",
        "/webhooks/1/modifier",
        {"url": "http://127.0.0.1:9/other", "kinds": ["ticket.closed"]},
    )
    with session_scope(desk_engine) as session:
        found = session.get(WebhookSubscription, 1)
        assert (found.url, found.kinds) == ("http://127.0.0.1:9/other", ["ticket.closed"])


def test_the_delivery_log_shows_status_attempts_and_error_and_resends_a_failed_one(coordinateur, desk_engine, receiver):
    create(coordinateur, receiver.url, kinds=["appointment.booked"])
    make_booked_ticket(desk_engine)
    receiver.default = 500
    factory = session_factory(desk_engine)
    deliver_due(factory, secret_key=KEY, production=False, timeout=0.5)
    with session_scope(desk_engine) as session:  # the last attempts went by
        delivery = session.execute(select(WebhookDelivery)).scalar_one()
        delivery.attempts = MAX_ATTEMPTS - 1
        delivery.next_attempt_at = datetime.now(timezone.utc)
    deliver_due(factory, secret_key=KEY, production=False, timeout=0.5)
    page = coordinateur.get("/webhooks/1").get_data(as_text=True)
    assert "Rendez-vous pris" in page and "En échec" in page and "réponse HTTP 500" in page
    assert f"<td>{MAX_ATTEMPTS}</td>" in page and "<td>500</td>" in page and "Renvoyer" in page
    for personal in ("Marie", "99 99", "+33612349999", "mails"):
        assert personal not in page
    receiver.default = 200
    resent = post_form(coordinateur, "/webhooks/1", "/webhooks/1/renvoyer/1", {})
    assert resent.status_code == 302
    deliver_due(factory, secret_key=KEY, production=False, timeout=0.5)
    with session_scope(desk_engine) as session:
        assert session.execute(select(WebhookDelivery)).scalar_one().status == DeliveryStatus.DELIVERED
    page = coordinateur.get("/webhooks/1").get_data(as_text=True)
    assert "Reçu" in page and "Renvoyer" not in page
    assert post_form(coordinateur, "/webhooks/1", "/webhooks/1/renvoyer/1", {}).status_code == 405
