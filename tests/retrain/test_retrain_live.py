"""Retrain for real (issue 17, points 4 and 7): a label from the inbox, `python -m bot retrain`
(real training on a temporary copy, real evaluation on the held-out sets), two real Rasa servers
pulling the model in service from the model server, turns driven through both during the swap,
then the rollback. One training for the whole module (about 2 minutes on 2 cores).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
import uuid

import pytest
from sqlalchemy import create_engine, text

from bot import migrate
from bot.db import make_engine, session_factory
from bot.retrain import service
from bot.retrain.model_server import start_model_server
from bot.retrain.models import ModelStatus, ModelVersion
from bot.retrain.worker import register_deployed
from bot.settings import ROOT
from tests.conftest import POSTGRES_ADMIN_URL, REDIS_TEST_URL, load_city_places
from tests.retrain.helpers import labelled_item
from tests.support.live_bot import TEST_SECRETS, free_port, start_live_bot, wait_http

pytestmark = [pytest.mark.model, pytest.mark.postgres, pytest.mark.redis]

# Declined by the model of data/ (its best candidates: compte piraté, spams, surendettement):
# labelled, then exported into a copy of data/ by `python -m bot nlu export-reviewed`.
MISREAD = "les courriels des autres narrivent plus chez moi car plus de place"
ANSWER = "faq_email/boite_pleine"
ANSWER_START = "Boîte pleine : les mails n'arrivent plus."
LOAD = ["Bonjour", "comment creer une adresse mail", "je veux un rendez-vous", "merci", MISREAD]
OFFERED_RATE = 20.0  # turns per second, spread over the two servers


def say(port: int, sender: str, message: str) -> list[dict]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": message}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def first_text(port: int, message: str) -> str:
    replies = say(port, f"retrain-{uuid.uuid4().hex[:12]}", message)
    return replies[0].get("text", "") if replies else ""


def wait_until(predicate, timeout: float, what: str) -> float:
    """Poll `predicate` until true; the seconds it took."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if predicate():
            return time.monotonic() - start
        time.sleep(0.5)
    raise AssertionError(f"{what} not seen within {timeout} s")


class Load:
    """Threads driving turns at OFFERED_RATE through both servers, each turn on a new conversation."""

    def __init__(self, ports: list[int]) -> None:
        self.ports, self.stop, self.lock = ports, threading.Event(), threading.Lock()
        self.latencies: list[float] = []
        self.failures: list[str] = []
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(8)]

    def _run(self, index: int) -> None:
        period, n = len(self.threads) / OFFERED_RATE, 0
        due = time.monotonic() + index * period / len(self.threads)
        while not self.stop.is_set():
            time.sleep(max(0.0, due - time.monotonic()))
            port, message = self.ports[(index + n) % len(self.ports)], LOAD[(index + n) % len(LOAD)]
            try:
                replies = say(port, f"load-{index}-{n}", message)
                if not replies or not any(r.get("text") for r in replies):
                    raise RuntimeError(f"no reply: {replies}")
                with self.lock:
                    self.latencies.append(time.monotonic() - due)
            except Exception as error:  # noqa: BLE001 (every failure counts)
                with self.lock:
                    self.failures.append(f"{port} {message!r}: {error}")
            n += 1
            due += period

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(90)

    def p95_ms(self) -> float:
        ordered = sorted(self.latencies)
        return 1000 * ordered[int(0.95 * (len(ordered) - 1))] if ordered else 0.0


@pytest.fixture(scope="module")
def setup(model_path, tmp_path_factory):
    folder = tmp_path_factory.mktemp("retrain_live")
    name = f"aidenum_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    migrate.upgrade(url)
    load_city_places(url)
    engine = make_engine(url)
    factory = session_factory(engine)
    store = folder / "models"
    with factory() as session:
        register_deployed(session, model_path, store)
    data = folder / "data"
    shutil.copytree(ROOT / "data", data)
    model_port = free_port()
    # The test holds the model the servers get until its turns are coming (`held`), so that
    # the swap happens under load whatever the machine's speed; otherwise the model in service.
    held: dict = {}

    def select_model(session):
        return session.get(ModelVersion, held["id"]) if held.get("id") else service.serving(session)

    server = start_model_server(
        factory, "127.0.0.1", model_port, token=TEST_SECRETS["MODEL_SERVER_TOKEN"], select_model=select_model
    )
    bot = start_live_bot(
        model_path,
        url,
        folder / "logs",
        extra_env={
            "MODEL_SERVER_URL": f"http://127.0.0.1:{model_port}/model",
            "MODEL_SERVER_TOKEN": TEST_SECRETS["MODEL_SERVER_TOKEN"],
            "MODEL_PULL_SECONDS": "2",
            "MODEL_STORE_DIR": str(store),
            "REDIS_URL": REDIS_TEST_URL,
            "RETRAIN_TOLERANCE": "1",
        },
    )  # the default: one message per figure may go either way
    second = free_port()
    try:
        bot.start_rasa(second, "rasa-replica")
        yield bot, [bot.rasa_port, second], factory, server, held, data
    finally:
        bot.stop()
        server.shutdown()
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def test_a_label_retrained_changes_the_answer_on_every_replica_with_no_turn_lost_then_rollback(setup):
    bot, ports, factory, server, held, data = setup
    before = {port: first_text(port, MISREAD) for port in ports}
    assert all(not t.startswith(ANSWER_START) for t in before.values()), before
    with factory() as session:
        labelled_item(session, MISREAD, ANSWER)
    assert "1 examples written" in bot.run_cli("nlu", "export-reviewed", "--folder", str(data / "nlu"))

    with factory() as session:
        held["id"] = service.serving(session).id  # the servers keep the deployed model for now
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "bot", "retrain", "--data", str(data)],
        cwd=ROOT,
        env=bot.env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    training = time.monotonic() - started
    print(result.stdout, f"retrain (training and evaluation of both models): {training:.0f} s")
    assert result.returncode == 0, result.stderr[-3000:]
    with factory() as session:
        row = service.history(session)[0]
    assert row.status == ModelStatus.IN_SERVICE, row.reason
    # Exported, so in the data already: nothing more from the database (the desk's path without an
    # export, the same examples read from the database: test_retrain_service.py's training copy).
    assert row.reviewed_examples == 0 and row.serving == 1
    assert set(row.figures) == {"blind", "old"} and row.baseline_figures

    # Turns come through both servers; then each pulls the new model (within MODEL_PULL_SECONDS)
    # and swaps it while they keep coming.
    downloads = server.downloads
    with Load(ports) as load:
        time.sleep(2)
        held.clear()
        swapped = wait_until(
            lambda: all(first_text(p, MISREAD).startswith(ANSWER_START) for p in ports),
            120,
            "the retrained answer on both servers",
        )
        time.sleep(3)
        pulled = server.downloads - downloads
    print(
        f"swap: {len(load.latencies)} turns, p95 {load.p95_ms():.0f} ms, {len(load.failures)} failed, "
        f"both servers answered with the new model {swapped:.1f} s after it was offered"
    )
    assert pulled == 2  # each server downloaded the new model once, while the turns were coming
    assert not load.failures, load.failures[:5]
    assert len(load.latencies) > 40

    # Rollback: the previous model back on both, under load, with no restart.
    with Load(ports) as load:
        time.sleep(1)
        assert "back in service" in bot.run_cli("retrain", "--rollback")
        wait_until(
            lambda: all(first_text(p, MISREAD) == before[p] for p in ports),
            120,
            "the previous answer again on both servers",
        )
        time.sleep(3)
    assert not load.failures, load.failures[:5]
    assert server.downloads - downloads == 4
    assert all(process.poll() is None for process in bot.processes)  # nothing restarted


def test_a_server_that_cannot_reach_the_model_server_at_start_serves_its_own_model(setup, tmp_path):
    bot, *_ = setup
    port = free_port()
    env = {**bot.env, "MODEL_SERVER_URL": f"http://127.0.0.1:{free_port()}/model"}  # nobody listens there
    log = open(tmp_path / "rasa-alone.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "rasa", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/", process)
        assert first_text(port, "Bonjour"), (tmp_path / "rasa-alone.log").read_text()[-3000:]
        assert "no model from" in (tmp_path / "rasa-alone.log").read_text()
    finally:
        process.terminate()
        process.wait(30)
