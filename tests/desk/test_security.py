"""Security of the desk: every route behind login, CSRF on every form, session
cookie flags, login rate limiting, escaping of resident text, the audit log."""

from __future__ import annotations

from sqlalchemy import select

from bot.db import session_scope
from bot.desk import PUBLIC_ENDPOINTS, create_app
from bot.settings import reload_settings
from bot.staff.models import AuditEntry, LoginAttempt
from tests.desk.conftest import PASSWORD, csrf_token, login, make_booked_ticket, make_user

INJECTION = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def sample_url(rule) -> str:
    values = {
        arg: (1 if rule._converters[arg].__class__.__name__ == "IntegerConverter" else "x") for arg in rule.arguments
    }
    return rule.build(values)[1]


def test_every_route_answers_only_after_login(app):
    """Walks app.url_map: without a session, GET redirects to the login page, any other method gets 401."""
    app.config["WTF_CSRF_ENABLED"] = False  # prove the login guard alone (CSRF is tested below)
    client = app.test_client()
    walked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        url = sample_url(rule)
        for method in sorted(rule.methods - {"OPTIONS", "HEAD"}):
            response = client.open(url, method=method)
            walked += 1
            if method == "GET":
                assert response.status_code == 302, (method, url, response.status_code)
                assert response.headers["Location"].startswith("/connexion"), (url, response.headers["Location"])
            else:
                assert response.status_code == 401, (method, url, response.status_code)
    assert walked >= 20
    # The calendar feed is the one public door: its secret token is the key (tests/desk/test_calendars.py).
    assert PUBLIC_ENDPOINTS == {"auth.login", "static", "calendar.feed"}


def test_a_forged_form_without_csrf_token_is_refused(app, desk_engine):
    ticket_id, _ = make_booked_ticket(desk_engine)
    make_user(desk_engine, "coord@metz.fr", "coordinateur")
    client = app.test_client()
    assert login(client, "coord@metz.fr").status_code == 302
    for action, data in (
        (f"/tickets/{ticket_id}/statut", {"statut": "annule"}),
        (f"/tickets/{ticket_id}/sms", {"texte": "forged"}),
        ("/permanences/1/arreter", {}),
    ):
        response = client.post(action, data=data)
        assert response.status_code == 400, action
        assert "Formulaire expiré" in response.get_data(as_text=True)
        response = client.post(action, data={**data, "csrf_token": "forged-token"})
        assert response.status_code == 400, action
    page = client.get(f"/tickets/{ticket_id}").get_data(as_text=True)
    assert "Annulé" not in page.split("<h1>")[1].split("</h1>")[0]  # nothing changed
    assert "forged" not in page


def test_every_form_of_every_page_carries_a_csrf_token(app, desk_engine):
    ticket_id, _ = make_booked_ticket(desk_engine)
    make_user(desk_engine, "coord@metz.fr", "coordinateur")
    client = app.test_client()
    login(client, "coord@metz.fr")
    for url in (
        "/",
        f"/tickets/{ticket_id}",
        f"/tickets/{ticket_id}/deplacer",
        "/permanences",
        "/permanences/1",
        "/donnees-personnelles",
    ):
        html = client.get(url).get_data(as_text=True)
        for form in html.split("<form")[1:]:
            form = form.split("</form>")[0]
            if 'method="post"' in form:
                assert 'name="csrf_token"' in form, (url, form[:200])


def test_session_cookie_is_secure_httponly_and_samesite(monkeypatch, desk_env, desk_engine):
    make_user(desk_engine, "coord@metz.fr", "coordinateur")
    monkeypatch.setenv("DESK_COOKIE_SECURE", "true")
    app = create_app(reload_settings())
    client = app.test_client()
    token = csrf_token(client.get("/connexion", base_url="https://localhost").get_data(as_text=True))
    response = client.post(
        "/connexion",
        base_url="https://localhost",
        headers={"Referer": "https://localhost/connexion"},  # Flask-WTF's HTTPS check
        data={"email": "coord@metz.fr", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    cookie = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("aidenum_desk=")][-1]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_login_is_rate_limited_per_account_and_recorded_in_the_database(app, desk_engine):
    make_user(desk_engine, "nadia@metz.fr", "coordinateur")
    client = app.test_client()
    for _ in range(5):
        assert login(client, "nadia@metz.fr", "mauvais mot de passe").status_code == 401
    blocked = login(client, "nadia@metz.fr")  # the right password, too late
    assert blocked.status_code == 429
    assert "Attendez quelques minutes" in blocked.get_data(as_text=True)
    assert "/connexion" in client.get("/").headers["Location"]
    other = app.test_client()
    with session_scope(desk_engine) as session:
        failures = session.execute(select(LoginAttempt).where(LoginAttempt.success.is_(False))).scalars().all()
        assert len(failures) == 5 and all(f.email == "nadia@metz.fr" for f in failures)
    # Another account from the same IP is not blocked by this one's failures.
    make_user(desk_engine, "julie@metz.fr", "coordinateur")
    assert login(other, "julie@metz.fr").status_code == 302


def test_login_is_rate_limited_per_ip_across_accounts(app, desk_engine):
    make_user(desk_engine, "real@metz.fr", "coordinateur")
    client = app.test_client()
    for i in range(20):
        login(client, f"guess{i}@metz.fr", "x")
    assert login(client, "real@metz.fr").status_code == 429


def test_resident_text_is_escaped_everywhere(app, desk_engine):
    ticket_id, _ = make_booked_ticket(desk_engine, transcript=INJECTION)
    make_user(desk_engine, "coord@metz.fr", "coordinateur")
    client = app.test_client()
    login(client, "coord@metz.fr")
    html = client.get(f"/tickets/{ticket_id}").get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "script-src 'none'" in client.get(f"/tickets/{ticket_id}").headers["Content-Security-Policy"]


def test_viewing_and_changing_a_ticket_is_in_the_audit_log(app, desk_engine):
    ticket_id, _ = make_booked_ticket(desk_engine)
    make_user(desk_engine, "coord@metz.fr", "coordinateur")
    client = app.test_client()
    login(client, "coord@metz.fr")
    page = client.get(f"/tickets/{ticket_id}").get_data(as_text=True)
    client.post(f"/tickets/{ticket_id}/statut", data={"statut": "confirme", "csrf_token": csrf_token(page)})
    with session_scope(desk_engine) as session:
        entries = session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars().all()
        seen = [(e.user_email, e.action, e.target, e.target_id) for e in entries]
    assert ("coord@metz.fr", "login", "account", "1") in seen
    assert ("coord@metz.fr", "view", "ticket", str(ticket_id)) in seen
    assert ("coord@metz.fr", "change", "ticket", str(ticket_id)) in seen
    assert "view" in client.get("/journal").get_data(as_text=True)


def test_a_conseiller_sees_only_the_tickets_of_their_places(app, desk_engine):
    ticket_id, _ = make_booked_ticket(desk_engine)  # at Borny
    make_user(desk_engine, "other@metz.fr", "conseiller", conseiller_slug="sophie")
    client = app.test_client()
    login(client, "other@metz.fr")
    assert client.get(f"/tickets/{ticket_id}").status_code == 404
    assert client.get("/statistiques").status_code == 403
    assert client.get("/permanences/1").status_code == 403


def test_form_text_is_cleaned_before_it_is_stored_but_passwords_are_not(app, desk_engine):
    from bot.sms.models import OutboundMessage

    ticket_id, _ = make_booked_ticket(desk_engine)
    make_user(desk_engine, "coord@metz.fr", "coordinateur")
    client = app.test_client()
    assert login(client, "coord@metz.fr").status_code == 302
    page = client.get(f"/tickets/{ticket_id}").get_data(as_text=True)
    client.post(
        f"/tickets/{ticket_id}/sms",
        data={"modele": "", "texte": "Bonjour\x00 Marie\x07 !", "csrf_token": csrf_token(page)},
    )
    with session_scope(desk_engine) as session:
        bodies = [
            m.body
            for m in session.execute(
                select(OutboundMessage).where(OutboundMessage.ticket_id == ticket_id, OutboundMessage.purpose == "desk")
            ).scalars()
        ]
    assert bodies and all("\x00" not in b and "\x07" not in b for b in bodies), bodies
    # A password is compared as typed: cleaning it would lock out whoever chose a tab in it.
    with app.test_request_context("/connexion", method="POST", data={"password": "a\tb", "email": "x\x00@metz.fr"}):
        from flask import request

        assert request.form["password"] == "a\tb" and request.form["email"] == "x@metz.fr"
