"""The desk's tables on real PostgreSQL: accounts, the login rate limit and the
once-only claim of a ticket's notification."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db import session_factory, session_scope
from bot.desk.accounts import LoginLimit, authenticate, create_user, login_blocked
from bot.desk.notify import claim
from bot.staff.models import TicketNotification
from tests.conftest import load_city_places
from tests.desk.conftest import make_booked_ticket
from tests.support.live_bot import TEST_SECRETS

HASH_KEY = TEST_SECRETS["HASH_KEY"]

LIMIT = LoginLimit(
    max_failures=5, window_minutes=15, hash_key=HASH_KEY
)  # DESK_LOGIN_MAX_FAILURES, DESK_LOGIN_WINDOW_MINUTES


@pytest.mark.postgres
def test_accounts_rate_limit_and_notification_claim_on_postgresql(pg_engine, postgres_url):
    load_city_places(postgres_url)
    ticket_id, _ = make_booked_ticket(pg_engine)
    with session_scope(pg_engine) as session:
        create_user(session, email="coord@metz.fr", password="un mot de passe long", role="coordinateur")
    with session_scope(pg_engine) as session:
        assert authenticate(session, "coord@metz.fr", "un mot de passe long", "10.0.0.1", limit=LIMIT) is not None
        for _ in range(5):
            assert authenticate(session, "COORD@metz.fr", "faux", "10.0.0.1", limit=LIMIT) is None
    with session_scope(pg_engine) as session:
        assert login_blocked(session, "coord@metz.fr", "10.0.0.2", limit=LIMIT)
        assert not login_blocked(session, "autre@metz.fr", "10.0.0.2", limit=LIMIT)
    factory = session_factory(pg_engine)
    assert claim(factory, ticket_id, "email") is True
    assert claim(factory, ticket_id, "email") is False  # the unique row: notified once
    with session_scope(pg_engine) as session:
        assert len(session.execute(select(TicketNotification)).scalars().all()) == 1
