"""The desk, the web page and the jobs run without Rasa, on a supported Python.

Python 3.10 gets no security fixes since October 2026 and Rasa 3.6 needs it: it is
kept to the Rasa server and the action server (.venv). Everything else runs from
requirements-desk.txt in .venv-desk (Python 3.12 or 3.11, made by `make setup`) and
the `desk` image. These tests import every module of that side, and run the jobs,
the CLI commands and the two web apps, twice: really in .venv-desk (no Rasa installed),
and in .venv behind a meta-path finder that refuses rasa, rasa_sdk, tensorflow and
spacy (tests/core/desk_runtime_probe.py). A failure names the chain of imports to cut.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import COMMANDS
from bot.settings import ROOT

PROBE = ROOT / "tests" / "core" / "desk_runtime_probe.py"
DESK_PYTHON = ROOT / ".venv-desk" / "bin" / "python"
REFUSED = ("rasa", "rasa-sdk", "rasa_sdk", "tensorflow", "spacy")

# What runs on the Rasa side (.venv, Python 3.10): Rasa's own components and stores, the
# channels Rasa loads, the commands that load the trained model. Everything else in bot/
# must import without Rasa. The migrations (bot/migrations/) are run by `db upgrade`, not imported.
RASA_SIDE = (
    "bot.nlu",
    "bot.rasa_stores",
    "bot.rasa_speedups",
    "bot.sms_channel",
    "bot.web.channel",
    "bot.cli.rasa_cli",
    "bot.cli.classify",
    "bot.cli.eval",
    "bot.cli.augment",
    "bot.action_server",
    "bot.rest_channel",
    "bot.answers.nlg",
    "bot.voice.channel",
    "bot.rasa_model_swap",
    "bot.retrain.worker",
    "bot.cli.retrain",
    "bot.cli.nlu",
)
# The entry points of the desk's runtime: they must stay on its side.
ENTRY_POINTS = (
    "bot.__main__",
    "bot.cli",
    "bot.cli.serve",
    "bot.cli.jobs",
    "bot.cli.reminders",
    "bot.cli.notify",
    "bot.cli.purge",
    "bot.cli.db",
    "bot.cli.places",
    "bot.cli.users",
    "bot.cli.privacy",
    "bot.cli.info",
    "bot.desk",
    "bot.web.app",
    "bot.wsgi_server",
    "bot.reminders",
    "bot.migrate",
    "bot.settings",
    "bot.logging_setup",
)
JOB_COMMANDS = ("reminders", "waitlist", "notify", "purge", "db", "places", "users", "serve", "privacy", "webhooks")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def on_rasa_side(name: str) -> bool:
    return any(name == side or name.startswith(side + ".") for side in RASA_SIDE)


def desk_side_modules() -> list[str]:
    names = [
        module_name(path)
        for path in sorted((ROOT / "bot").rglob("*.py"))
        if "migrations" not in path.relative_to(ROOT).parts
    ]
    return [name for name in names if not on_rasa_side(name)]


@pytest.fixture(scope="module")
def desk_python() -> str:
    if not DESK_PYTHON.exists():
        pytest.fail(
            f"{DESK_PYTHON.relative_to(ROOT)} is missing: run `make setup` (it makes the desk's "
            "virtualenv with Python 3.12 or 3.11 from requirements-desk.txt)"
        )
    return str(DESK_PYTHON)


def probe(
    python: str,
    *args: str,
    block: bool = False,
    stdin: str | None = None,
    env: dict | None = None,
    strict: bool = False,
) -> subprocess.CompletedProcess:
    """`strict`: every DeprecationWarning is an error (what Python 3.12 deprecated, e.g. utcnow)."""
    flags = ["-W", "error::DeprecationWarning"] if strict else []
    command = [python, *flags, str(PROBE), *(["--block"] if block else []), *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, input=stdin, env=env, timeout=300)


def interpreters(desk_python: str) -> list[tuple[str, bool]]:
    """(python, block): the desk's own, and the Rasa one with Rasa refused."""
    return [(desk_python, False), (sys.executable, True)]


def test_the_entry_points_are_on_the_desk_side_and_the_rasa_side_list_is_true():
    modules = set(desk_side_modules())
    assert set(ENTRY_POINTS) <= modules, set(ENTRY_POINTS) - modules
    assert {m for m in modules if m.startswith("bot.desk.")} and "bot.desk.views" in modules
    every = {module_name(path) for path in (ROOT / "bot").rglob("*.py")}
    for side in RASA_SIDE:
        assert side in every, f"{side} no longer exists: update RASA_SIDE"
    for command in JOB_COMMANDS:
        assert not on_rasa_side(COMMANDS[command]), command


@pytest.mark.parametrize("runtime", ["desk venv", "rasa refused"])
@pytest.mark.processes
def test_every_desk_web_and_job_module_imports_without_rasa(desk_python, runtime):
    python, block = interpreters(desk_python)[0 if runtime == "desk venv" else 1]
    modules = desk_side_modules()
    assert len(modules) > 60
    result = probe(python, "import", *modules, block=block)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    failed = "\n".join(
        f"{name}: {f['error']}\n    via {' -> '.join(f['chain'])}" for name, f in report["failed"].items()
    )
    assert not report["failed"], f"modules that need Rasa on the desk's runtime:\n{failed}"
    assert report["loaded"] == []


@pytest.mark.parametrize("runtime", ["desk venv", "rasa refused"])
@pytest.mark.processes
def test_every_job_command_answers_help_without_rasa(desk_python, runtime):
    python, block = interpreters(desk_python)[0 if runtime == "desk venv" else 1]
    result = probe(python, "help", "", *JOB_COMMANDS, block=block)
    assert result.returncode == 0, result.stderr[-3000:]
    answers = json.loads(result.stdout.splitlines()[-1])
    assert answers.pop("loaded") == []
    assert answers.pop("")["stdout"].startswith("usage: python -m bot <command>")
    for command, answer in answers.items():
        assert answer["code"] == 0 and f"usage: python -m bot {command}" in answer["stdout"], (command, answer)


@pytest.mark.processes
def test_the_jobs_the_desk_and_the_web_page_run_on_the_desk_python(desk_python, tmp_path):
    """As `make run` runs them, in .venv-desk: migrate, load the places, make an account,
    run each job once, then serve the desk's pages (logged in) and the web page's, with
    every DeprecationWarning an error (Python 3.12 removed or deprecated what 3.10 had)."""
    import os

    url = f"sqlite:///{tmp_path / 'desk.db'}"
    env = {**os.environ, "DATABASE_URL": url, "TWILIO_ACCOUNT_SID": "", "TWILIO_AUTH_TOKEN": "", "SMTP_HOST": ""}
    steps = [
        (["db", "upgrade"], None, ""),
        (["places", "load"], None, "8 places"),
        (
            ["users", "create", "--email", "camille@metz.fr", "--role", "coordinateur", "--password-stdin"],
            "un-mot-de-passe-solide\n",
            "",
        ),
        (["users", "list"], None, "camille@metz.fr"),
        (["reminders"], None, "reminder(s) sent"),
        (["waitlist"], None, "offer(s) sent"),
        (["notify"], None, "notification(s) sent"),
        (["purge"], None, "purge:"),
        (["webhooks"], None, "webhooks:"),
        (["privacy", "export", "+33612345678"], None, '"phone": "+33612345678"'),
    ]
    for args, stdin, expected in steps:
        result = probe(desk_python, "cli", *args, stdin=stdin, env=env, strict=True)
        assert result.returncode == 0, f"{args}: {result.stderr[-2000:]}"
        assert expected in result.stdout, (args, result.stdout)
    used = probe(desk_python, "use", url, "camille@metz.fr", "un-mot-de-passe-solide", env=env, strict=True)
    assert used.returncode == 0, used.stderr[-3000:]
    report = json.loads(used.stdout.splitlines()[-1])
    assert report["loaded"] == []
    statuses = report["statuses"]
    assert statuses.pop("desk /") == 302 and statuses.pop("desk login") == 302  # to the login page, then in
    assert len(statuses) == 13 and set(statuses.values()) == {200}, statuses


@pytest.mark.processes
def test_the_desk_venv_is_a_supported_python_without_rasa(desk_python):
    check = subprocess.run(
        [
            desk_python,
            "-c",
            "import json, sys; from importlib import metadata; "
            "names = sorted(d.metadata['Name'].lower() for d in metadata.distributions()); "
            "print(json.dumps([sys.version_info[:2], names]))",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    version, installed = json.loads(check.stdout)
    assert not set(installed) & set(REFUSED), set(installed) & set(REFUSED)
    assert "gunicorn" in installed and "flask" in installed
    if tuple(version) < (3, 11):
        # Allowed only as the Makefile's fallback, on a machine with neither 3.12 nor 3.11.
        found = subprocess.run(
            ["sh", "scripts/find-python.sh", "3.12", "3.11"], cwd=ROOT, capture_output=True, text=True
        )
        assert found.returncode != 0, (
            f".venv-desk runs Python {version} but {found.stdout.strip()} is here: rm -rf .venv-desk && make setup"
        )


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
            assert match, f"{path.name}: not pinned exactly: {line}"
            found[re.sub(r"[-_.]+", "-", match[1]).lower()] = match[2]
    return found


def test_the_desk_requirements_are_pinned_locked_and_agree_with_the_main_ones():
    desk, lock = pins(ROOT / "requirements-desk.txt"), pins(ROOT / "requirements-desk.lock")
    main, main_lock = pins(ROOT / "requirements.txt"), pins(ROOT / "requirements.lock")
    assert not {name for name in [*desk, *lock] if name.startswith(REFUSED)}
    for name, version in desk.items():
        assert lock.get(name) == version, f"requirements-desk.lock: {name}"
        assert main.get(name, main_lock.get(name)) == version, f"{name}: {version} here, not in the main set"
    assert "gunicorn" in desk and "flask" in desk and "sqlalchemy" in desk


def test_the_procfile_runs_only_rasa_actions_and_the_retrain_worker_on_the_rasa_python():
    lines = dict(line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line.strip())
    for name, command in lines.items():
        venv = ".venv/" if name in ("rasa", "actions", "retrain") else ".venv-desk/"
        assert command.startswith(venv + "bin/python -m bot "), (name, command)
    assert set(lines) == {
        "rasa",
        "actions",
        "reminders",
        "waitlist",
        "web",
        "desk",
        "notify",
        "purge",
        "webhooks",
        "retrain",
    }
    makefile = (ROOT / "Makefile").read_text()
    assert "$(DESK_BOT) db upgrade" in makefile and "$(DESK_BOT) places load" in makefile
    assert "FIND_DESK_PYTHON := sh scripts/find-python.sh 3.12 3.11" in makefile


@pytest.mark.live
@pytest.mark.parametrize("process, path", [("desk", "/connexion"), ("web", "/health")])
@pytest.mark.processes
def test_serve_runs_the_desk_and_the_web_page_under_gunicorn(desk_python, process, path, tmp_path):
    """`make run`'s command for each (the Procfile's), on .venv-desk: gunicorn answers, with
    the worker model of bot/wsgi_server.py; `--dev` is Werkzeug's development server."""
    import os
    import urllib.request

    from tests.support.live_bot import free_port, wait_http

    url = f"sqlite:///{tmp_path / 'serve.db'}"
    env = {**os.environ, "DATABASE_URL": url, "GUNICORN_CMD_ARGS": "--workers 1"}
    assert probe(desk_python, "cli", "db", "upgrade", env=env).returncode == 0
    servers = {}
    for dev in (False, True):
        port = free_port()
        log_path = tmp_path / f"{process}-{dev}.log"
        with open(log_path, "w") as log:
            server = subprocess.Popen(
                [desk_python, "-m", "bot", "serve", process, "--port", str(port), *(["--dev"] if dev else [])],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_http(f"http://127.0.0.1:{port}{path}", server, timeout=120)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as answer:
                servers[dev] = answer.headers.get("Server", "")
        finally:
            server.terminate()
            server.wait(timeout=30)
        if not dev:
            log_text = log_path.read_text()
            assert "Starting gunicorn" in log_text and "Using worker: gthread" in log_text, log_text
            assert log_text.count("Booting worker") == 1, log_text  # GUNICORN_CMD_ARGS applies
    assert servers[False] == "gunicorn" and servers[True].startswith("Werkzeug/"), servers
