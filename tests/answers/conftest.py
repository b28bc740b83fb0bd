"""Fixtures of the living answers' tests: the desk's (a fresh database with Metz's places and
the desk app on it), with the answers seeded from this checkout."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.answers.seed import seed
from bot.db import make_engine, session_scope
from bot.settings import ROOT, get_settings
from tests.conftest import copy_sqlite, migrated_with_places, sqlite_template
from tests.desk.conftest import app, desk_engine, desk_env  # noqa: F401  (fixtures)


def _seeded(url: str) -> None:
    migrated_with_places(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        seed(session)
    engine.dispose()


@pytest.fixture
def seeded_engine(desk_engine):  # noqa: F811  (the fixture imported above)
    """The desk's database with the answers seeded from this checkout: a copy of one database
    seeded so in this session (seeding reads every answer file, 0.3 s a test)."""
    desk_engine.dispose()
    template = sqlite_template(("seeded", str(get_settings().places_file)), _seeded)
    copy_sqlite(template, Path(desk_engine.url.database))
    return desk_engine


@pytest.fixture
def checkout(tmp_path) -> Path:
    """A copy of what seeding reads and exporting writes: bot/domain and data/references.yml."""
    root = tmp_path / "checkout"
    shutil.copytree(ROOT / "bot" / "domain", root / "bot" / "domain")
    (root / "data").mkdir(parents=True)
    shutil.copy(ROOT / "data" / "references.yml", root / "data" / "references.yml")
    if (ROOT / "data" / "answers").exists():
        shutil.copytree(ROOT / "data" / "answers", root / "data" / "answers")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
