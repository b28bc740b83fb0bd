"""The application database: one SQLAlchemy engine and declarative base.

Our tables (places, appointments, tickets, SMS...) live in the same database
as Rasa's tracker store: SQLite by default, PostgreSQL in production
(DATABASE_URL, read by the entry points, which make the engine with `engine_for`). Each concept declares its tables in its own module on `Base`;
Alembic (bot/migrations) creates and upgrades the schema.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timezone
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from sqlalchemy import MetaData, String, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, declarative_base, sessionmaker
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so that migrations are the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Base = declarative_base(metadata=MetaData(naming_convention=NAMING))


def utcnow() -> datetime:
    """Now, in UTC: every timestamp column stores UTC (the place's wall time is for people)."""
    return datetime.now(timezone.utc)


def ensure_sqlite_folder(database_url: str) -> None:
    """SQLite creates the file, not its folder."""
    if database_url.startswith("sqlite:///"):
        Path(database_url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)


def make_engine(url: str) -> Engine:
    ensure_sqlite_folder(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, future=True, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    return create_engine(url, future=True, pool_pre_ping=True)


@lru_cache(maxsize=4)
def engine_for(url: str) -> Engine:
    return make_engine(url)


def session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, future=True, expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session on `engine` that commits on success and rolls back on error. The entry points
    make the engine (`engine_for(settings.database_url)`) and pass it down."""
    session = session_factory(engine)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


class EnumText(TypeDecorator):
    """A `str` Enum stored as its value in a VARCHAR (the same on SQLite and PostgreSQL).

    Writing a value that is not a member fails before it reaches the database;
    reading gives the member back, so code compares with the Enum, never a bare string.
    """

    impl = String
    cache_ok = True

    def __init__(self, enum: type[Enum], length: int = 20):
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value, dialect):
        return None if value is None else self.enum(value).value

    def process_result_value(self, value, dialect):
        return None if value is None else self.enum(value)
