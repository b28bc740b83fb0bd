"""Shared fixtures: fresh databases (SQLite and real PostgreSQL) and the trained model; the tiers'
markers (README, "Tests"), put on each test from the fixtures it uses."""

from __future__ import annotations

import atexit
import gc
import os
import shutil
import sqlite3
import tempfile
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot import migrate
from bot.db import make_engine
from bot.settings import get_settings
from bot.sms.outbound import SmsConfig
from tests.support.live_bot import TEST_SECRETS
from tests.support.shards import DurationRecorder, Shard

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
        help="run only the I-th of N shares of the test files, dealt by tests/durations.json "
        "(`make check` runs the shares side by side, one per core; tests/support/shards.py)",
    )
    parser.addoption(
        "--record-durations",
        default=None,
        metavar="FILE",
        help="write each test file's seconds to FILE, for --shard to deal by (`make check-durations`)",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        for tier in sorted(tiers_of(item) - {mark.name for mark in item.iter_markers()}):
            item.add_marker(tier)


DURATIONS = Path(__file__).resolve().parent / "durations.json"


def pytest_configure(config):
    rootdir = Path(str(config.rootpath))
    if config.getoption("--shard"):
        config.pluginmanager.register(Shard(config.getoption("--shard"), rootdir, DURATIONS), "shard")
    if config.getoption("--record-durations"):
        recorder = DurationRecorder(Path(config.getoption("--record-durations")), rootdir)
        config.pluginmanager.register(recorder, "record-durations")
    config.pluginmanager.register(ChildProcessGuard(), "child-process-guard")


def pytest_collection_finish(session):
    # What collection imported (Rasa, TensorFlow, SQLAlchemy's models...) lives until the end:
    # out of the garbage collector's sight, its collections during the tests cost nothing.
    gc.collect()
    gc.freeze()


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
    Chromium...) without a marker of SPAWNING_TIERS, so `make check` never runs one by accident.
    It watches `_posixsubprocess.fork_exec`, which subprocess (run, check_output, Popen) and
    multiprocessing's "spawn" and "forkserver" both start their programs with."""

    def __init__(self) -> None:
        import _posixsubprocess

        self.allowed = True
        self.started: list[str] = []
        guard, original = self, _posixsubprocess.fork_exec

        def watched(args, *rest, **kwargs):
            words = [w.decode(errors="replace") if isinstance(w, bytes) else str(w) for w in args or ()]
            if not guard.allowed and words and is_product_process(words[0]):
                guard.started.append(" ".join(words))
            return original(args, *rest, **kwargs)

        _posixsubprocess.fork_exec = watched

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


_SQLITE_TEMPLATES: dict[object, Path] = {}  # SQLite databases built once in this session, copied by tests


def sqlite_template(key, build) -> Path:
    """A SQLite database built once in this session by `build(url)`, for tests to copy (`copy_sqlite`)."""
    if key not in _SQLITE_TEMPLATES:
        folder = Path(tempfile.mkdtemp(prefix="aidenum-schema-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        build(f"sqlite:///{folder / 'template.db'}")
        _SQLITE_TEMPLATES[key] = folder / "template.db"
    return _SQLITE_TEMPLATES[key]


def copy_sqlite(source: Path, target: Path) -> None:
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


_POSTGRES_TEMPLATES: dict[object, str] = {}  # PostgreSQL databases built once in this session, copied by tests
_FRESH_POSTGRES: set[str] = set()  # the databases postgres_url made, while nothing has been built in them


def _postgres_admin():
    return create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)


# The tests' own connections do not wait for the disk at each commit (PostgreSQL's
# synchronous_commit, for this connection only): a test database needs no durability, and its
# transactions, locks and isolation are the same.
NO_DISK_WAIT = "options=-c%20synchronous_commit%3Doff"


def _postgres_url_of(name: str) -> str:
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name + "?" + NO_DISK_WAIT


def _drop_postgres(name: str) -> None:
    admin = _postgres_admin()
    with admin.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name})
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def _postgres_template(key, build) -> str:
    if key not in _POSTGRES_TEMPLATES:
        name = f"aidenum_template_{uuid.uuid4().hex[:10]}"
        admin = _postgres_admin()
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        atexit.register(_drop_postgres, name)
        build(_postgres_url_of(name))
        _POSTGRES_TEMPLATES[key] = name
    return _POSTGRES_TEMPLATES[key]


def _fresh_postgres_database(url: str) -> str | None:
    """The name of the database at `url` when postgres_url made it and it still holds no table."""
    name = make_url(url).database if url.startswith("postgresql") else None
    if name not in _FRESH_POSTGRES:
        return None
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as conn:
            tables = conn.execute(text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).scalar()
    finally:
        engine.dispose()
    _FRESH_POSTGRES.discard(name)
    return name if tables == 0 else None


def _copy_postgres(template: str, name: str) -> None:
    """Make `name` again as a copy of `template` (CREATE DATABASE ... TEMPLATE: a file copy)."""
    _drop_postgres(name)
    admin = _postgres_admin()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    admin.dispose()


def migrated(url: str) -> None:
    """Bring the database at `url` to the newest schema with the Alembic migrations. A new SQLite
    file, or a new PostgreSQL database of postgres_url, gets a copy of the one database they built
    in this session (each run costs about 0.7 s on SQLite, 1 s on PostgreSQL, paid by hundreds of
    tests); anything else is migrated."""
    path = _new_sqlite_file(url)
    if path is not None:
        copy_sqlite(sqlite_template("schema", migrate.upgrade), path)
    elif (name := _fresh_postgres_database(url)) is not None:
        _copy_postgres(_postgres_template("schema", migrate.upgrade), name)
    else:
        migrate.upgrade(url)


def migrated_with_places(url: str) -> None:
    """`migrated`, then the city's places loaded (`load_city_places`): for a new SQLite file or a
    new PostgreSQL database of postgres_url, a copy of one database built so in this session."""

    def build(template_url: str) -> None:
        migrated(template_url)
        load_city_places(template_url)

    key = ("places", str(get_settings().places_file))
    path = _new_sqlite_file(url)
    if path is not None:
        copy_sqlite(sqlite_template(key, build), path)
    elif (name := _fresh_postgres_database(url)) is not None:
        _copy_postgres(_postgres_template(key, build), name)
    else:
        migrated(url)
        load_city_places(url)


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
    admin = _postgres_admin()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    _FRESH_POSTGRES.add(name)
    yield _postgres_url_of(name)
    _FRESH_POSTGRES.discard(name)
    _drop_postgres(name)


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
