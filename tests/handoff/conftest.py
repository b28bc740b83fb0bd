"""Fixtures of the handoff tests: a fresh database named by DATABASE_URL (what the actions
reach through bot.db.session_scope) with Metz's places, in-process actions on a hand-made
tracker, and a guard that records who writes appointments and tickets."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import event
from sqlalchemy.orm import Session

from bot.booking.models import Appointment, SlotSeat
from bot.db import make_engine
from bot.settings import ROOT, reload_settings
from bot.tickets.models import Ticket, TicketEvent
from tests.conftest import migrated_with_places

WATCHED = (Appointment, SlotSeat, Ticket, TicketEvent)


def _use(url: str, monkeypatch):
    migrated_with_places(url)
    engine = make_engine(url)
    monkeypatch.setenv("DATABASE_URL", url)
    for key in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM_NUMBER", "TWILIO_MESSAGING_SERVICE_SID"):
        monkeypatch.setenv(key, "")
    reload_settings()
    return engine


@pytest.fixture
def city_db(sqlite_url, monkeypatch):
    """SQLite with the schema and Metz's places, reached by the code through DATABASE_URL."""
    engine = _use(sqlite_url, monkeypatch)
    yield engine
    engine.dispose()
    monkeypatch.undo()
    reload_settings()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request, sqlite_url, monkeypatch):
    url = sqlite_url if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    engine = _use(url, monkeypatch)
    yield engine
    engine.dispose()
    monkeypatch.undo()
    reload_settings()


def tracker(sender_id: str, slots: dict | None = None, events: list | None = None, text: str = "") -> Tracker:
    return Tracker(
        sender_id,
        dict(slots or {}),
        {"text": text, "intent": {}, "entities": []},
        list(events or []),
        False,
        None,
        {},
        None,
    )


def run(coroutine):
    return asyncio.run(coroutine)


def texts(dispatcher: CollectingDispatcher) -> str:
    return "\n".join(m.get("text") or m.get("response") or "" for m in dispatcher.messages)


# -- who writes ---------------------------------------------------------------------------------

HANDOFF = (ROOT / "bot" / "handoff").resolve()
PRODUCT = ((ROOT / "bot").resolve(), (ROOT / "actions").resolve())


def _writer() -> Path | None:
    """The innermost frame of the product (bot/, actions/) that is not SQLAlchemy's or this guard's."""
    frame = sys._getframe(1)
    while frame is not None:
        path = Path(frame.f_code.co_filename).resolve()
        if path != Path(__file__).resolve() and any(path.is_relative_to(root) for root in PRODUCT):
            if path.name != "db.py":  # bot/db.py: the session's commit, not a writer
                return path
        frame = frame.f_back
    return None


class WriteGuard:
    """Every constructor call, attribute set and bulk UPDATE/DELETE on the watched tables,
    with the product module that made it; `outside` lists those not in bot/handoff/."""

    def __init__(self):
        self.writes: list[tuple[str, str]] = []

    def record(self, what: str) -> None:
        path = _writer()
        if path is not None:
            self.writes.append((str(path.relative_to(ROOT.resolve())), what))

    @property
    def outside(self) -> list[tuple[str, str]]:
        return [(path, what) for path, what in self.writes if not Path(ROOT / path).resolve().is_relative_to(HANDOFF)]


@pytest.fixture
def write_guard():
    guard = WriteGuard()
    listeners = []
    for model in WATCHED:

        def on_init(target, args, kwargs, model=model):
            guard.record(f"{model.__name__}(...)")

        listeners.append((model, "init", on_init))
        for column in model.__table__.columns:

            def on_set(target, value, old, initiator, model=model, name=column.key):
                guard.record(f"{model.__name__}.{name} =")

            listeners.append((getattr(model, column.key), "set", on_set))
    tables = {model.__table__ for model in WATCHED}

    def on_execute(state):
        if (state.is_update or state.is_delete) and getattr(state.statement, "table", None) in tables:
            guard.record(f"{'UPDATE' if state.is_update else 'DELETE'} {state.statement.table.name}")

    for target, name, fn in listeners:
        event.listen(target, name, fn)
    event.listen(Session, "do_orm_execute", on_execute)
    yield guard
    for target, name, fn in listeners:
        event.remove(target, name, fn)
    event.remove(Session, "do_orm_execute", on_execute)
