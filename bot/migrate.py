"""Alembic migrations of the application database, run from Python.

`python -m bot db upgrade` brings the database named by DATABASE_URL (or
`--url`) to the newest schema; `python -m bot db revision -m "..."` writes a
new migration by comparing the models with the database.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from bot.db import ensure_sqlite_folder

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    ensure_sqlite_folder(url)
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def revision(message: str, url: str) -> None:
    command.revision(alembic_config(url), message=message, autogenerate=True)
