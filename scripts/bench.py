"""`make bench`: the figures that say whether the assistant is fast and small enough.

Not a test (nothing is asserted): it measures and prints a table, with the
targets of the deployment issue beside each figure.

- NLU: intent accuracy on the held-out set (bot/cli/eval.py's scoring) and the
  parse latency of each held-out message (p50/p95), in this process.
- Training time: one full training (empty Rasa cache) into a temporary folder,
  under a training lock (the wait for it is not counted); `--skip-training` or
  `--training-seconds N` to give a figure measured elsewhere.
- The real servers (tests/support/live_bot.py: Rasa + action server) on a fresh
  PostgreSQL database with the city's places and the Redis lock store, as in
  production, the Rasa server with `--workers` Sanic workers (default: one per
  core): cold start to the first answer, then end-to-end turn latency through
  the REST webhook (webhook -> NLU -> policies -> action server -> database ->
  reply) p50/p95/p99 at 1 conversation (back to back) and at 10 and 50
  concurrent conversations sharing an open-loop offered load (default 20
  turns/s: latency counts from the moment a turn was due, so a slow server
  cannot hide its queue), then a saturation run (closed loop, 50 conversations)
  for the maximum throughput, the CPU time per turn (independent of the other
  load on the machine), the same saturation through a pool of keep-alive
  connections opened at low load, and the Rasa server's memory (PSS of the
  server and its workers, and the largest process's RSS). Each turn comes on
  a new connection, as from independent clients. Each conversation is a
  resident's 5 turns, then a new resident takes its place.
- SMS segments: of every reply seen during the runs, and of every text the bot
  can send (bot/sms/bench.py).
- A model swap (issue 17): the same open-loop load while every Sanic worker pulls a
  new model from the model server and swaps it (bot/rasa_model_swap.py): turns/s,
  p95 and failed turns; `--swap-only` runs only that.
- The phone line (bot/voice/): webhook to TwiML latency p50/p95 of the <Gather>
  turns of 10 concurrent calls (signed as Twilio signs them; each call speaks a
  turn every 2 s, faster than a person does), and the share of the responses
  that have a spoken form (bot/voice/coverage.py).
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import gc
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TRAIN_LOCK = "/tmp/aidenum-train.lock"
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
# One conversation's turns: a greeting, two turns that call the action server and
# the database (places and hours, "when is my appointment"), a question, thanks.
TURNS = [
    "bonjour",
    "où est la permanence",
    "c'est quand mon rendez-vous ?",
    "j'ai oublié mon mot de passe gmail",
    "merci",
]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str]] = []

    def add(self, metric: str, value: str, target: str = "") -> None:
        self.rows.append((metric, value, target))
        print(f"  {metric}: {value}", flush=True)

    def markdown(self) -> str:
        lines = ["| metric | value | target |", "|---|---|---|"]
        lines += [f"| {m} | {v} | {t} |" for m, v, t in self.rows]
        return "\n".join(lines)


# --- NLU ----------------------------------------------------------------------------


class TimedModel:
    """The trained model, timing each parse (for bot/cli/eval.py's `run`)."""

    def __init__(self, model) -> None:
        self.model, self.seconds = model, []

    def parse(self, text: str) -> dict:
        start = time.perf_counter()
        try:
            return self.model.parse(text)
        finally:
            self.seconds.append(time.perf_counter() - start)


def bench_nlu(model_path: Path, table: Table) -> None:
    from bot.cli.eval import HELDOUT, run, summary
    from bot.nlu.evaluation import read_nlu_file
    from bot.nlu.model import TrainedModel

    examples = read_nlu_file(HELDOUT)
    model = TrainedModel(model_path)
    try:
        timed = TimedModel(model)
        timed.parse("bonjour")  # the first parse builds TensorFlow's graph
        timed.seconds.clear()
        scores, _, _ = run(timed, examples)
    finally:
        model.close()
    s = summary(scores)
    table.add("NLU intent accuracy (held-out)", f"{s['intent_accuracy']:.1%} of {s['messages']} messages")
    table.add("NLU request / thematique accuracy", f"{s['request_accuracy']:.1%} / {s['thematique_accuracy']:.1%}")
    ms = [1000 * x for x in timed.seconds]
    table.add("NLU parse latency p50 / p95", f"{percentile(ms, 50):.0f} / {percentile(ms, 95):.0f} ms")
    del model, timed
    gc.collect()


# --- training -----------------------------------------------------------------------


def bench_training(table: Table) -> None:
    """Every component trained: an empty Rasa cache (`make train` reuses `.rasa/`)."""
    with tempfile.TemporaryDirectory(prefix="bench-train-") as folder, open(TRAIN_LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the wait for other trainings is not counted
        start = time.perf_counter()
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "bot",
                "rasa",
                "train",
                "--config",
                "bot/config.yml",
                "--domain",
                "bot/domain",
                "--data",
                "data/nlu",
                "data/stories",
                "data/rules",
                "--out",
                folder,
                "--fixed-model-name",
                "m",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, "RASA_CACHE_DIRECTORY": str(Path(folder) / "cache")},
        )
        seconds = time.perf_counter() - start
    if result.returncode != 0:
        table.add("Training time (full)", "failed: " + result.stderr.strip().splitlines()[-1][:80], "≤ 180 s")
        return
    table.add("Training time (full, empty cache)", f"{seconds:.0f} s", "≤ 180 s")


# --- the live servers ---------------------------------------------------------------


@contextmanager
def fresh_postgres():
    """A new PostgreSQL database with the schema and the city's places, dropped afterwards."""
    from sqlalchemy import create_engine, text

    from bot import migrate
    from tests.conftest import load_city_places

    name = f"aidenum_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    try:
        migrate.upgrade(url)
        load_city_places(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def conversation_turns():
    """(sender, text) forever: a resident's whole conversation, then the next resident's.

    Rasa reads a conversation's events at every turn: one endless conversation
    would measure a tracker that grows without end, which no resident produces.
    """
    while True:
        sender = f"bench-{uuid.uuid4()}"
        for text in TURNS:
            yield sender, text


class Driver:
    """Sends turns to the REST webhook with aiohttp and records latencies and replies."""

    def __init__(self, url: str, session) -> None:
        self.url, self.session = url, session
        self.replies: list[str] = []
        self.errors = 0

    async def turn(self, sender: str, text: str) -> None:
        try:
            async with self.session.post(self.url, json={"sender": sender, "message": text}) as response:
                body = await response.json() if response.status == 200 else None
        except Exception:  # noqa: BLE001 - a failed turn is counted, the run goes on
            body = None
        if not body:
            self.errors += 1
            return
        self.replies.extend(m.get("text") or "" for m in body)

    async def closed_loop(self, conversations: int, seconds: float) -> tuple[list[float], float]:
        """Each conversation sends its next turn as soon as the previous answer came."""
        latencies: list[float] = []
        deadline = time.perf_counter() + seconds

        async def conversation() -> None:
            for sender, text in conversation_turns():
                if time.perf_counter() >= deadline:
                    return
                start = time.perf_counter()
                await self.turn(sender, text)
                latencies.append(time.perf_counter() - start)

        start = time.perf_counter()
        await asyncio.gather(*(conversation() for _ in range(conversations)))
        return latencies, time.perf_counter() - start

    async def open_loop(self, conversations: int, rate: float, seconds: float) -> tuple[list[float], float]:
        """Turns due at `rate` per second, round-robin over the conversations.

        A conversation answers one turn at a time (as a person would); a turn
        that is due while its conversation still waits is sent right after, and
        its latency still counts from the moment it was due.
        """
        latencies: list[float] = []
        queues = [asyncio.Queue() for _ in range(conversations)]
        total = int(rate * seconds)

        async def conversation(index: int) -> None:
            turns = conversation_turns()
            while True:
                due = await queues[index].get()
                if due is None:
                    return
                await self.turn(*next(turns))
                latencies.append(time.perf_counter() - due)

        workers = [asyncio.create_task(conversation(i)) for i in range(conversations)]
        start = time.perf_counter()
        for n in range(total):
            due = start + n / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            queues[n % conversations].put_nowait(due)
        for queue in queues:
            queue.put_nowait(None)
        await asyncio.gather(*workers)
        return latencies, time.perf_counter() - start


def process_tree(pid: int) -> list:
    import psutil

    process = psutil.Process(pid)
    return [process, *process.children(recursive=True)]


def memory_mb(pid: int) -> float:
    """The memory of a server and its workers (Sanic forks them): PSS, each shared page
    counted once, so that workers sharing the model's pages (copied at fork) do not count them twice."""
    return sum(p.memory_full_info().pss for p in process_tree(pid)) / 2**20


def largest_rss_mb(pid: int) -> float:
    """The resident memory of the largest process of a server (a worker, with Sanic's workers)."""
    return max(p.memory_info().rss for p in process_tree(pid)) / 2**20


def cpu_seconds(pid: int) -> float:
    """CPU time used so far by a server and its workers: a cost per turn that does not
    depend on what else the machine is doing (wall-clock figures do)."""
    return sum(sum(p.cpu_times()[:2]) for p in process_tree(pid))


def latency_row(table: Table, label: str, latencies: list[float], elapsed: float, target: str = "") -> None:
    ms = [1000 * x for x in latencies]
    table.add(
        label,
        f"p50 {percentile(ms, 50):.0f} / p95 {percentile(ms, 95):.0f} / p99 {percentile(ms, 99):.0f} ms"
        f" ({len(ms)} turns, {len(ms) / elapsed:.1f} turns/s)",
        target,
    )


async def load_runs(
    url: str, rate: float, seconds: float, table: Table, rasa_pid: int, actions_pid: int, workers: int
) -> list[str]:
    """The latency and throughput runs. Each turn comes on a new connection, as from many
    independent clients (Twilio's webhooks, residents' browsers): the kernel gives each
    connection to a Sanic worker that is free to accept it. A last run reuses keep-alive
    connections opened while the server was idle, as a proxy's pool would: Sanic's workers
    share one socket, and a connection stays with the worker that accepted it."""
    import aiohttp

    timeout = aiohttp.ClientTimeout(total=120)
    fresh = aiohttp.TCPConnector(limit=200, force_close=True)
    async with aiohttp.ClientSession(timeout=timeout, connector=fresh) as session:
        driver = Driver(url, session)
        await driver.closed_loop(2, 5)  # warm-up
        driver.replies.clear()
        latencies, elapsed = await driver.closed_loop(1, seconds)
        latency_row(table, "Turn latency, 1 conversation (back to back)", latencies, elapsed)
        peak = memory_mb(rasa_pid)
        for conversations in (10, 50):
            latencies, elapsed = await driver.open_loop(conversations, rate, seconds)
            latency_row(
                table,
                f"Turn latency, {conversations} conversations at {rate:g} turns/s offered",
                latencies,
                elapsed,
                "p95 ≤ 150 ms at 20 turns/s",
            )
            peak = max(peak, memory_mb(rasa_pid))
        cpu = {pid: cpu_seconds(pid) for pid in (rasa_pid, actions_pid)}
        latencies, elapsed = await driver.closed_loop(50, seconds)
        table.add(
            f"Saturation throughput, one Rasa instance ({workers} Sanic workers, 50 conversations, closed loop)",
            f"{len(latencies) / elapsed:.1f} turns/s",
            "≥ 40 turns/s",
        )
        rasa_ms, actions_ms = (1000 * (cpu_seconds(pid) - used) / max(len(latencies), 1) for pid, used in cpu.items())
        table.add(
            "CPU time per turn: Rasa server / action server",
            f"{rasa_ms:.0f} / {actions_ms:.0f} ms (≤ {1000 / rasa_ms:.0f} turns/s per core of Rasa)",
        )
        peak = max(peak, memory_mb(rasa_pid))
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=200)) as session:
        pooled = Driver(url, session)
        await pooled.open_loop(50, 5, 10)  # 50 connections opened at a low load
        latencies, elapsed = await pooled.closed_loop(50, seconds)
        table.add(
            "Saturation throughput, the same through 50 keep-alive connections opened at low load",
            f"{len(latencies) / elapsed:.1f} turns/s",
        )
        peak = max(peak, memory_mb(rasa_pid))
    table.add(
        "Rasa server memory after the load (PSS of the server and its workers, peak of samples; largest process RSS)",
        f"{peak:.0f} MB; {largest_rss_mb(rasa_pid):.0f} MB",
        "≤ 1 GB",
    )
    table.add("Failed turns (no answer or error)", str(driver.errors + pooled.errors), "0")
    return driver.replies


def bench_live(model_path: Path, rate: float, seconds: float, workers: int, table: Table) -> list[str]:
    import redis

    from tests.support.live_bot import start_live_bot

    redis.Redis.from_url(REDIS_URL).flushdb()
    with fresh_postgres() as database_url, tempfile.TemporaryDirectory(prefix="bench-") as folder:
        start = time.perf_counter()
        bot = start_live_bot(
            model_path, database_url, Path(folder) / "logs", {"REDIS_URL": REDIS_URL, "SANIC_WORKERS": str(workers)}
        )
        try:
            bot.say(f"bench-{uuid.uuid4()}", "bonjour")
            table.add(
                "Cold start to first answer (Rasa + action server)", f"{time.perf_counter() - start:.1f} s", "≤ 10 s"
            )
            rasa = bot.processes[1]
            table.add(
                f"Rasa server memory after start (PSS of the server and its {workers} workers; largest process RSS)",
                f"{memory_mb(rasa.pid):.0f} MB; {largest_rss_mb(rasa.pid):.0f} MB",
                "≤ 1 GB",
            )
            replies = asyncio.run(
                load_runs(bot.rest_url, rate, seconds, table, rasa.pid, bot.processes[0].pid, workers)
            )
            asyncio.run(voice_runs(bot, seconds, table))
            return replies
        finally:
            bot.stop()


# --- a model swap under load (issue 17) ----------------------------------------------


def bench_swap(model_path: Path, rate: float, seconds: float, workers: int, table: Table) -> None:
    """Turns at `rate` while every Rasa worker pulls a new model from the model server and swaps it
    (bot/rasa_model_swap.py). The "new" model is the same one with padding after its gzip stream:
    another file, another SHA-256, so each worker downloads, loads and swaps it for real."""
    import shutil

    import aiohttp
    import redis

    from bot import schema  # noqa: F401 (every table)
    from bot.db import make_engine, session_factory
    from bot.rasa_model_swap import file_sha256
    from bot.retrain import service
    from bot.retrain.model_server import start_model_server
    from bot.retrain.models import ModelStatus, ModelVersion
    from bot.retrain.worker import register_deployed
    from tests.support.live_bot import free_port, start_live_bot

    redis.Redis.from_url(REDIS_URL).flushdb()
    with fresh_postgres() as database_url, tempfile.TemporaryDirectory(prefix="bench-swap-") as folder:
        engine = make_engine(database_url)
        factory = session_factory(engine)
        store = Path(folder) / "models"
        other = Path(folder) / "other.tar.gz"
        shutil.copy2(model_path, other)
        with open(other, "ab") as file:
            file.write(b"\0" * 1024)
        with factory() as session:
            register_deployed(session, model_path, store)
        port = free_port()
        server = start_model_server(factory, "127.0.0.1", port)
        bot = start_live_bot(
            model_path,
            database_url,
            Path(folder) / "logs",
            {
                "REDIS_URL": REDIS_URL,
                "SANIC_WORKERS": str(workers),
                "MODEL_PULL_SECONDS": "2",
                "MODEL_SERVER_URL": f"http://127.0.0.1:{port}/model",
            },
        )

        def swap_model() -> None:
            with factory() as session:
                row = ModelVersion(source="cli", status=ModelStatus.RUNNING, path=str(other), sha256=file_sha256(other))
                session.add(row)
                session.flush()
                service.finish(session, row, ModelStatus.IN_SERVICE)

        async def run() -> tuple[list[float], float, int]:
            timeout = aiohttp.ClientTimeout(total=120)
            connector = aiohttp.TCPConnector(limit=200, force_close=True)
            async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
                driver = Driver(bot.rest_url, session)
                await driver.closed_loop(2, 5)  # warm-up
                before = server.downloads
                load = asyncio.create_task(driver.open_loop(10, rate, seconds))
                await asyncio.sleep(seconds / 4)
                await asyncio.get_running_loop().run_in_executor(None, swap_model)
                latencies, elapsed = await load
                return latencies, elapsed, driver.errors, server.downloads - before

        try:
            latencies, elapsed, errors, downloads = asyncio.run(run())
        finally:
            bot.stop()
            server.shutdown()
            engine.dispose()
        latency_row(
            table,
            f"Turn latency during a model swap, 10 conversations at {rate:g} turns/s offered "
            f"({downloads} of {workers} workers pulled and swapped the model)",
            latencies,
            elapsed,
            "p95 ≤ 150 ms at 20 turns/s",
        )
        table.add("Failed turns during the model swap", str(errors), "0")


# --- the phone line ----------------------------------------------------------------

CALL_TURNS = [
    ("SpeechResult", "j'ai oublié mon mot de passe gmail"),
    ("SpeechResult", "merci"),
    ("SpeechResult", "où est la permanence"),
    ("Digits", "1"),
    ("SpeechResult", "au revoir"),
]


async def voice_runs(bot, seconds: float, table: Table, calls: int = 10, every: float = 2.0) -> None:
    """10 concurrent calls, each a turn every `every` seconds: webhook -> TwiML latency."""
    import aiohttp
    from twilio.request_validator import RequestValidator

    from tests.support.live_bot import PUBLIC_URL, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN

    validator = RequestValidator(TEST_AUTH_TOKEN)
    base = f"http://127.0.0.1:{bot.rasa_port}"
    latencies: list[float] = []
    errors = 0

    async def post(session, path: str, params: dict) -> None:
        nonlocal errors
        headers = {"X-Twilio-Signature": validator.compute_signature(PUBLIC_URL + path, params)}
        start = time.perf_counter()
        async with session.post(base + path, data=params, headers=headers) as response:
            body = await response.text()
        if response.status != 200 or "<Response" not in body:
            errors += 1
        if path.endswith("/gather"):
            latencies.append(time.perf_counter() - start)

    async def call(session, index: int, deadline: float) -> None:
        await asyncio.sleep(index * every / calls)  # calls do not all speak at the same instant
        while time.perf_counter() < deadline:
            sid = "CA" + uuid.uuid4().hex
            params = {
                "AccountSid": TEST_ACCOUNT_SID,
                "CallSid": sid,
                "From": f"+3361{index:03d}{uuid.uuid4().int % 10**4:04d}",
                "To": "+33387000000",
                "CallStatus": "in-progress",
                "Direction": "inbound",
                "ApiVersion": "2010-04-01",
            }
            await post(session, "/webhooks/twilio_voice/webhook", params)
            for key, value in CALL_TURNS:
                if time.perf_counter() >= deadline:
                    return
                due = time.perf_counter() + every
                await post(session, "/webhooks/twilio_voice/gather", {**params, key: value, "Confidence": "0.9"})
                await asyncio.sleep(max(0.0, due - time.perf_counter()))

    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(force_close=True)) as session:
        deadline = time.perf_counter() + seconds
        await asyncio.gather(*(call(session, i, deadline) for i in range(calls)))
    ms = [1000 * x for x in latencies]
    table.add(
        f"Voice turn, webhook to TwiML, {calls} concurrent calls (a turn every {every:g} s each)",
        f"p50 {percentile(ms, 50):.0f} / p95 {percentile(ms, 95):.0f} ms ({len(ms)} turns, {errors} errors)",
        "p95 ≤ 300 ms",
    )
    # The same pattern through the REST channel: what the phone line adds to a turn.
    rest: list[float] = []

    async def conversation(session, index: int, deadline: float) -> None:
        await asyncio.sleep(index * every / calls)
        while time.perf_counter() < deadline:
            sender = f"bench-voice-{uuid.uuid4()}"
            for _key, value in CALL_TURNS:
                if time.perf_counter() >= deadline:
                    return
                due = time.perf_counter() + every
                start = time.perf_counter()
                async with session.post(bot.rest_url, json={"sender": sender, "message": value}) as response:
                    await response.read()
                rest.append(1000 * (time.perf_counter() - start))
                await asyncio.sleep(max(0.0, due - time.perf_counter()))

    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(force_close=True)) as session:
        deadline = time.perf_counter() + seconds
        await asyncio.gather(*(conversation(session, i, deadline) for i in range(calls)))
    table.add(
        "The same turns through the REST channel (what the phone line adds)",
        f"p50 {percentile(rest, 50):.0f} / p95 {percentile(rest, 95):.0f} ms ({len(rest)} turns)",
    )


def bench_voice_only(model_path: Path, seconds: float, workers: int, table: Table) -> None:
    import redis

    from tests.support.live_bot import start_live_bot

    redis.Redis.from_url(REDIS_URL).flushdb()
    with fresh_postgres() as database_url, tempfile.TemporaryDirectory(prefix="bench-") as folder:
        bot = start_live_bot(
            model_path, database_url, Path(folder) / "logs", {"REDIS_URL": REDIS_URL, "SANIC_WORKERS": str(workers)}
        )
        try:
            asyncio.run(voice_runs(bot, seconds, table))
        finally:
            bot.stop()


def bench_spoken(table: Table) -> None:
    from bot.voice.coverage import coverage

    result = coverage()
    table.add(
        'Responses with a spoken form (no URL, no "écrivez RDV", ≤ 600 characters)',
        f"{result.share:.0%} ({result.fit} of {result.total})",
        "100 %",
    )


# --- SMS ----------------------------------------------------------------------------


def bench_sms(replies: list[str], table: Table) -> None:
    from bot.settings import get_settings
    from bot.sms.bench import every_sms_text, summarise
    from bot.sms.encoding import count_segments, normalise

    fold = get_settings().sms_fold_accents
    if replies:
        counts = [count_segments(normalise(text, fold)).count for text in set(replies) if text]
        table.add(
            "SMS segments per reply seen in the runs",
            f"mean {statistics.mean(counts):.2f}, max {max(counts)} ({len(counts)} distinct replies)",
        )
    s = summarise(every_sms_text(get_settings().routes_file), fold)
    table.add(
        "SMS segments, every text the bot can send",
        f"median {s.median_segments:g}, max {s.max_segments}, {s.gsm_share:.0%} GSM-7 ({s.count} texts)",
        "≤ 3 segments",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/bench.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", help="trained model (default: MODEL_PATH)")
    parser.add_argument("--rate", type=float, default=20.0, help="offered load of the open-loop runs (turns/s)")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each load run")
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="Sanic workers of the Rasa server (SANIC_WORKERS; default: one per core)",
    )
    parser.add_argument("--skip-training", action="store_true", help="do not time a training run")
    parser.add_argument("--training-seconds", type=float, help="a training time measured elsewhere")
    parser.add_argument("--voice-only", action="store_true", help="only the phone line's figures")
    parser.add_argument("--swap-only", action="store_true", help="only the model swap under load")
    args = parser.parse_args(argv)

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"
    from bot.settings import get_settings

    model_path = Path(args.model or get_settings().model_path)
    if not model_path.exists():
        print(f"no trained model at {model_path}: run `make train` first", file=sys.stderr)
        return 1
    table = Table()
    print(f"Benchmark of {model_path} on {os.cpu_count()} cores", flush=True)
    if args.voice_only:
        bench_voice_only(model_path, args.seconds, args.workers, table)
        bench_spoken(table)
        print(table.markdown())
        return 0
    if args.swap_only:
        bench_swap(model_path, args.rate, args.seconds, args.workers, table)
        print(table.markdown())
        return 0
    bench_nlu(model_path, table)
    replies = bench_live(model_path, args.rate, args.seconds, args.workers, table)
    bench_swap(model_path, args.rate, args.seconds, args.workers, table)
    bench_sms(replies, table)
    bench_spoken(table)
    if args.training_seconds is not None:
        table.add("Training time (full)", f"{args.training_seconds:.0f} s (given)", "≤ 180 s")
    elif not args.skip_training:
        bench_training(table)
    print(f"\n{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, model {model_path.name}\n")
    print(table.markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main())
