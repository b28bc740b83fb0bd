"""The product's real processes, started for tests: Rasa server + action server.

Used by conversation tests that talk to the assistant over Rasa's REST webhook,
as `make run` serves it, with the plain `rest` channel turned on
(RASA_REST_CHANNEL=true: it is off by default) and the tests' own secrets
(the https PUBLIC_URL makes these servers production: default keys would stop them).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bot.settings import ROOT

TEST_ACCOUNT_SID = "AC" + "0" * 32
TEST_AUTH_TOKEN = "test-auth-token"
PUBLIC_URL = "https://aide.metz.test"
# Long, random-looking, never the defaults; tests/conftest.py puts them in the tests' environment too,
# so that keyed hashes computed in a test match the servers'.
TEST_SECRETS = {
    "HASH_KEY": "tests-hash-key-5c1f0e8a9b7d4c3e2f1a0b9c8d7e6f5a",
    "DESK_SECRET_KEY": "tests-desk-secret-9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a",
    "ACTION_SERVER_TOKEN": "tests-action-token-1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d",
    "MODEL_SERVER_TOKEN": "tests-model-token-7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, process: subprocess.Popen, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process for {url} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


@dataclass
class LiveBot:
    rasa_port: int
    action_port: int
    env: dict
    processes: list = field(default_factory=list)
    log_dir: Path | None = None

    @property
    def twilio_record_file(self) -> Path:
        return Path(self.env["TWILIO_RECORD_FILE"])

    def run_cli(self, *args: str) -> str:
        """`python -m bot ARGS` with the same settings as the servers."""
        result = subprocess.run(
            [sys.executable, "-m", "bot", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    @property
    def rest_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/webhook"

    def say(self, sender: str, text: str) -> list[dict]:
        """Send one message as `sender`; the bot's replies (dicts with 'text', 'buttons'...)."""
        body = json.dumps({"sender": sender, "message": text}).encode()
        request = urllib.request.Request(self.rest_url, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def texts(self, sender: str, text: str) -> list[str]:
        return [m.get("text", "") for m in self.say(sender, text)]

    def start_rasa(self, port: int, name: str = "rasa2") -> subprocess.Popen:
        """Another Rasa server with the same settings on `port` (horizontal scale tests)."""
        log = open(self.log_dir / f"{name}.log", "w")
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "rasa", "--port", str(port)],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        try:
            wait_http(f"http://127.0.0.1:{port}/", process)
        except Exception:
            sys.stderr.write((self.log_dir / f"{name}.log").read_text()[-5000:])
            raise
        return process

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def start_live_bot(model_path: Path, database_url: str, log_dir: Path, extra_env: dict | None = None) -> LiveBot:
    rasa_port, action_port = free_port(), free_port()
    env = {
        **os.environ,
        "MODEL_PATH": str(model_path),
        "DATABASE_URL": database_url,
        "RASA_PORT": str(rasa_port),
        "ACTION_PORT": str(action_port),
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
        # Twilio on, through the real library, recorded at its HTTP edge.
        "TWILIO_ACCOUNT_SID": TEST_ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": TEST_AUTH_TOKEN,
        "TWILIO_FROM_NUMBER": "+33700000000",
        "TWILIO_HTTP_CLIENT": "tests.support.twilio_edge:RecordingHttpClient",
        "TWILIO_RECORD_FILE": str(log_dir / "twilio.jsonl"),
        # Twilio signs webhooks against the public URL (a reverse proxy in production).
        "PUBLIC_URL": PUBLIC_URL,
        "RASA_TELEMETRY_ENABLED": "false",
        # The unscreened REST channel the tests and the benchmark talk to (off by default).
        "RASA_REST_CHANNEL": "true",
        **{name: os.environ.get(name) or value for name, value in TEST_SECRETS.items()},
        # No model pulling unless a test asks for it (bot/rasa_model_swap.py).
        "MODEL_SERVER_URL": "",
        # The tests read the replies once the webhook has answered; on a loaded machine a first
        # turn can outlast production's 10 s (the replies go out through the API either way).
        # Under tests.sms.live.post's 60 s.
        "SMS_WEBHOOK_TIMEOUT_SECONDS": "50",
        **(extra_env or {}),
    }
    log_dir.mkdir(parents=True, exist_ok=True)
    bot = LiveBot(rasa_port, action_port, env, log_dir=log_dir)
    for name in ("actions", "rasa"):
        log = open(log_dir / f"{name}.log", "w")
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", name],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        bot.processes.append(process)
    try:
        wait_http(f"http://127.0.0.1:{action_port}/health", bot.processes[0])
        wait_http(f"http://127.0.0.1:{rasa_port}/", bot.processes[1])
    except Exception:
        bot.stop()
        for name in ("actions", "rasa"):
            sys.stderr.write((log_dir / f"{name}.log").read_text()[-5000:])
        raise
    return bot
