"""Fixtures of the living answers' tests: the desk's (a fresh database with Metz's places and
the desk app on it), with the answers seeded from this checkout."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.answers.seed import seed
from bot.db import session_scope
from bot.settings import ROOT
from tests.desk.conftest import app, desk_engine, desk_env  # noqa: F401  (fixtures)


@pytest.fixture
def seeded_engine(desk_engine):  # noqa: F811  (the fixture imported above)
    with session_scope(desk_engine) as session:
        seed(session)
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
