"""Shared fixtures: fresh databases (SQLite and real PostgreSQL) and the trained model; the tiers'
markers (README, "Tests"), put on each test from the fixtures it uses."""

from __future__ import annotations

import atexit
import os
import shutil
import sqlite3
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot import migrate
from bot.db import make_engine
from bot.settings import get_settings
from bot.sms.outbound import SmsConfig
from tests.support.live_bot import TEST_SECRETS

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# The tests' own secrets, never the defaults nor a developer's `.env`: live servers started with
# an https PUBLIC_URL are in production and refuse default keys (bot/settings.py).
for _name, _value in TEST_SECRETS.items():
    os.environ.setdefault(_name, _value)
# "Cette réponse vous aide ?" never comes unasked into the conversation tests, which expect exact
# replies (and the live bot inherits this environment); the tests of the feedback set 1.0.
os.environ.setdefault("FEEDBACK_RATE", "0")

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_TEST_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


# The markers follow from the fixtures a test uses (its whole closure, item.fixturenames): a new
# test gets its tier without having to remember it. Tests that start servers themselves carry an
# explicit `@pytest.mark.live`.
LIVE_FIXTURES = {"live_bot", "voice_bot", "web_url"}
BROWSER_FIXTURES = {"browser", "page"}
POSTGRES_FIXTURES = {"postgres_url", "pg_engine"}
MODEL_FIXTURES = {"model_path"}
# Fixtures parametrized over the two databases (privacy_db, any_db...): the "postgresql" case.
POSTGRES_PARAM = "postgresql"


def tiers_of(item) -> set[str]:
    names = set(getattr(item, "fixturenames", ()))
    tiers = set()
    if names & LIVE_FIXTURES:
        tiers.add("live")
    if names & BROWSER_FIXTURES:
        tiers.add("browser")
    if names & MODEL_FIXTURES:
        tiers.add("model")
    callspec = getattr(item, "callspec", None)
    params = callspec.params if callspec is not None else {}
    if names & POSTGRES_FIXTURES or any(params.get(name) == POSTGRES_PARAM for name in names):
        tiers.add("postgres")
    return tiers


def pytest_addoption(parser):
    parser.addoption(
        "--shard",
        default=None,
        metavar="I/N",
        help="run only the I-th of N shares of the selected tests, whole files each "
        "(`make check` runs the shares side by side, one per core)",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        for tier in sorted(tiers_of(item) - {mark.name for mark in item.iter_markers()}):
            item.add_marker(tier)


def pytest_configure(config):
    if config.getoption("--shard"):
        config.pluginmanager.register(Shard(config.getoption("--shard")), "shard")
    config.pluginmanager.register(ChildProcessGuard(), "child-process-guard")


# The tiers a test may start child processes in: those `make check` leaves out (Makefile,
# CHECK_TIER); anything else is in its fast tier, which must stay in-process.
SPAWNING_TIERS = {"processes", "live", "browser", "model"}


# What the product's processes start with; a library's own helper (platform's `uname -p`, git)
# is not one of them.
PRODUCT_PROGRAMS = ("python", "gunicorn", "rasa", "chromium", "node", "npm")


def is_product_process(program: str) -> bool:
    return Path(program).name.startswith(PRODUCT_PROGRAMS)


class ChildProcessGuard:
    """Fails a test that starts one of the product's processes (a Python interpreter, gunicorn,
    Chromium...: subprocess.Popen, which run() and check_output() use too) without a marker of
    SPAWNING_TIERS, so `make check` never runs one by accident."""

    def __init__(self) -> None:
        self.allowed = True
        self.started: list[str] = []
        guard, original = self, subprocess.Popen.__init__

        def watched(popen, *args, **kwargs):
            command = args[0] if args else kwargs.get("args")
            words = [str(w) for w in command] if isinstance(command, (list, tuple)) else str(command).split()
            if not guard.allowed and words and is_product_process(words[0]):
                guard.started.append(" ".join(words))
            original(popen, *args, **kwargs)

        subprocess.Popen.__init__ = watched

    def _watch(self, item):
        self.allowed = bool(SPAWNING_TIERS & {mark.name for mark in item.iter_markers()})
        self.started = []
        outcome = yield
        self.allowed = True
        if self.started and outcome.excinfo is None:
            pytest.fail(
                f"this test starts a child process ({self.started[0][:100]}) but is not marked "
                f"{' / '.join(sorted(SPAWNING_TIERS))}: add @pytest.mark.processes (pytest.ini)",
                pytrace=False,
            )

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_setup(self, item):
        yield from self._watch(item)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item):
        yield from self._watch(item)


class Shard:
    """`--shard I/N`: after `-m` has chosen, keep the files dealt to share I (1..N), the largest
    file first to the share with the fewest tests, so each share gets about as many."""

    def __init__(self, value: str):
        index, count = value.split("/")
        self.index, self.count = int(index), int(count)
        if not 1 <= self.index <= self.count:
            raise pytest.UsageError(f"--shard {value}: I must be between 1 and N")

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config, items):
        files: dict[str, list] = {}
        for item in items:
            files.setdefault(item.nodeid.split("::")[0], []).append(item)
        shares = [[] for _ in range(self.count)]
        for name in sorted(files, key=lambda name: (-len(files[name]), name)):
            min(shares, key=len).extend(files[name])
        kept = {id(item) for item in shares[self.index - 1]}
        config.hook.pytest_deselected(items=[item for item in items if id(item) not in kept])
        items[:] = [item for item in items if id(item) in kept]


_SQLITE_TEMPLATES: dict[object, Path] = {}  # SQLite databases built once in this session, copied by tests


def _template(key, build) -> Path:
    if key not in _SQLITE_TEMPLATES:
        folder = Path(tempfile.mkdtemp(prefix="aidenum-schema-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        build(f"sqlite:///{folder / 'template.db'}")
        _SQLITE_TEMPLATES[key] = folder / "template.db"
    return _SQLITE_TEMPLATES[key]


def _copy_sqlite(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    source_db, target_db = sqlite3.connect(source), sqlite3.connect(target)
    try:
        source_db.backup(target_db)
    finally:
        source_db.close()
        target_db.close()


def _new_sqlite_file(url: str) -> Path | None:
    path = Path(url[len("sqlite:///") :]) if url.startswith("sqlite:///") else None
    return path if path is not None and not path.exists() else None


def migrated(url: str) -> None:
    """Bring the database at `url` to the newest schema with the Alembic migrations. A new SQLite
    file gets a copy of the one database they built in this session (each run costs about 0.7 s
    of disk syncs, paid by hundreds of tests); anything else is migrated."""
    path = _new_sqlite_file(url)
    if path is None:
        migrate.upgrade(url)
    else:
        _copy_sqlite(_template("schema", migrate.upgrade), path)


def migrated_with_places(url: str) -> None:
    """`migrated`, then the city's places loaded (`load_city_places`): for a new SQLite file, a
    copy of one database built so in this session."""
    path = _new_sqlite_file(url)
    if path is None:
        migrated(url)
        load_city_places(url)
        return

    def build(template_url: str) -> None:
        migrated(template_url)
        load_city_places(template_url)

    _copy_sqlite(_template(("places", str(get_settings().places_file)), build), path)


def fresh_schema(url: str):
    """An engine on `url` with the schema built by the Alembic migrations."""
    migrated(url)
    return make_engine(url)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'app.db'}"


@pytest.fixture
def db_engine(sqlite_url):
    """A fresh SQLite database with the whole schema."""
    engine = fresh_schema(sqlite_url)
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_url():
    """A fresh, real PostgreSQL database, dropped afterwards."""
    name = f"aidenum_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    yield url
    with admin.connect() as conn:
        conn.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
            {"n": name},
        )
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.fixture
def pg_engine(postgres_url):
    """A fresh PostgreSQL database with the whole schema."""
    engine = fresh_schema(postgres_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def model_path() -> Path:
    path = get_settings().model_path
    if not path.exists():
        pytest.fail(f"no trained model at {path}: run `make train` (make test does it)")
    return path


def load_city_places(database_url: str) -> None:
    from bot.db import session_scope
    from bot.desk.places_loader import load_places

    engine = make_engine(database_url)
    with session_scope(engine) as session:
        load_places(session, get_settings().places_file, sms=SmsConfig.of(get_settings()))
    engine.dispose()


@pytest.fixture(scope="session")
def live_bot(model_path, tmp_path_factory):
    """The real Rasa server and action server, on a fresh SQLite database."""
    from tests.support.live_bot import start_live_bot

    folder = tmp_path_factory.mktemp("live_bot")
    database_url = f"sqlite:///{folder / 'app.db'}"
    migrate.upgrade(database_url)
    load_city_places(database_url)
    bot = start_live_bot(model_path, database_url, folder / "logs")
    yield bot
    bot.stop()
