"""The desk's doors tried as an attacker would, against the real desk server
(`python -m bot serve desk`, Werkzeug's threaded server, in production mode:
an https PUBLIC_URL) rather than Flask's test client:

- a session cookie signed with the default DESK_SECRET_KEY opens nothing;
- twenty simultaneous logins for one account: the limit holds, and after it
  even the right password is refused (SQLite and PostgreSQL);
- behind the proxy, the per-address limit counts the client's real address.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from contextlib import contextmanager

import pytest
import requests
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from flask_login.utils import _create_identifier

from bot.desk import create_app
from bot.settings import DEFAULTS, ROOT, reload_settings
from tests.conftest import fresh_schema, load_city_places
from tests.desk.conftest import PASSWORD, login, make_user
from tests.support.live_bot import free_port, wait_http

USER_AGENT = "desk-security-test"


@contextmanager
def live_desk(database_url: str, tmp_path, **extra):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DESK_PORT": str(port),
        "DESK_COOKIE_SECURE": "false",
        "PUBLIC_URL": "https://aide.metz.test",
        "TRUSTED_PROXIES": "0",
        **extra,
    }
    log = open(tmp_path / f"desk-{port}.log", "w")
    desk = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "desk"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{base}/connexion", desk, timeout=120)
        yield base
    finally:
        desk.terminate()
        desk.wait(timeout=20)
        log.close()


def prepared_database(url: str, *emails: str) -> None:
    engine = fresh_schema(url)
    load_city_places(url)
    for email in emails:
        make_user(engine, email, "coordinateur")
    engine.dispose()


def session_cookie(secret_key: str, user_id: int) -> str:
    """A desk session cookie for `user_id` as Flask-Login writes it, signed with `secret_key`."""
    app = Flask("forger")
    app.secret_key = secret_key
    with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"}, headers={"User-Agent": USER_AGENT}):
        identifier = _create_identifier()
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    return serializer.dumps({"_user_id": str(user_id), "_fresh": True, "_id": identifier, "_permanent": True})


@pytest.mark.live
def test_a_cookie_signed_with_the_default_key_opens_nothing(sqlite_url, tmp_path):
    prepared_database(sqlite_url, "coord@metz.fr")
    with live_desk(sqlite_url, tmp_path) as base:
        for secret, opens in ((DEFAULTS["DESK_SECRET_KEY"], False), (os.environ["DESK_SECRET_KEY"], True)):
            cookies = {"aidenum_desk": session_cookie(secret, 1)}
            for page in ("/journal", "/export.csv", "/"):
                answer = requests.get(
                    base + page, cookies=cookies, headers={"User-Agent": USER_AGENT}, allow_redirects=False, timeout=30
                )
                if opens:  # the same cookie signed with the real key: proof the forgery is well made
                    assert answer.status_code == 200, (page, answer.status_code)
                else:
                    assert answer.status_code == 302 and "/connexion" in answer.headers["Location"], page


def csrf_of(client: requests.Session, base: str) -> str:
    page = client.get(f"{base}/connexion", timeout=60).text
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def burst(base: str, email: str, passwords: list[str]) -> list[int]:
    """Every password posted at the same moment, each from its own browser session."""
    clients = [requests.Session() for _ in passwords]
    tokens = [csrf_of(client, base) for client in clients]
    ready, statuses = threading.Barrier(len(passwords)), [None] * len(passwords)

    def post(i: int) -> None:
        ready.wait()
        statuses[i] = (
            clients[i]
            .post(
                f"{base}/connexion",
                data={"email": email, "password": passwords[i], "csrf_token": tokens[i]},
                allow_redirects=False,
                timeout=120,
            )
            .status_code
        )

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(passwords))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


@pytest.mark.live
@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_a_burst_of_simultaneous_logins_is_held_to_the_limit(database, sqlite_url, postgres_url, tmp_path):
    url = sqlite_url if database == "sqlite" else postgres_url
    prepared_database(url, "nadia@metz.fr")
    with live_desk(url, tmp_path) as base:
        statuses = burst(base, "nadia@metz.fr", ["mauvais mot de passe"] * 20)
        # Five attempts were checked against the password, the fifteen others refused unchecked.
        assert sorted(statuses) == [401] * 5 + [429] * 15, statuses
        client = requests.Session()
        right = client.post(
            f"{base}/connexion",
            data={"email": "nadia@metz.fr", "password": PASSWORD, "csrf_token": csrf_of(client, base)},
            allow_redirects=False,
            timeout=60,
        )
        assert right.status_code == 429 and "Attendez quelques minutes" in right.text


def test_behind_the_proxy_the_limit_per_address_counts_the_real_address(monkeypatch, desk_env, desk_engine):
    make_user(desk_engine, "coord@metz.fr", "coordinateur")
    proxy = {"REMOTE_ADDR": "10.0.0.2"}  # Caddy's address: every request comes from it

    def client_from(address: str):
        client = app.test_client()
        client.environ_base.update({**proxy, "HTTP_X_FORWARDED_FOR": address})
        return client

    monkeypatch.setenv("TRUSTED_PROXIES", "1")
    app = create_app(reload_settings())
    attacker = client_from("203.0.113.9")
    for i in range(20):
        assert login(attacker, f"guess{i}@metz.fr", "x").status_code == 401
    assert login(attacker, f"guess{20}@metz.fr", "x").status_code == 429  # this address is stopped
    assert login(client_from("198.51.100.7"), "coord@metz.fr").status_code == 302  # the coordinateur is not

    # With no trusted proxy, X-Forwarded-For is anyone's to write: ignored, the proxy's address counts
    # (which is why compose and the manifests set TRUSTED_PROXIES=1).
    monkeypatch.setenv("TRUSTED_PROXIES", "0")
    app = create_app(reload_settings())
    for i in range(20):
        login(client_from(f"192.0.2.{i}"), f"other{i}@metz.fr", "x")
    assert login(client_from("198.51.100.7"), "coord@metz.fr").status_code == 429
