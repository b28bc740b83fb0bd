"""`make run` prints readable output: other projects' deprecation warnings are hidden at
start-up (bot/warning_filters.py, installed by `python -m bot`), ours are kept.

Before it, the action server alone printed sanic_cors's "distutils Version classes are
deprecated" (Sanic switches every DeprecationWarning on when imported) and the Rasa
server two dozen more (SQLAlchemy 2.0, pkg_resources, jax, pyparsing)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from bot.settings import ROOT
from tests.support.live_bot import free_port, wait_http

WARNING_WORDS = ("DeprecationWarning", "MovedIn20Warning", "FutureWarning", "Warning: ")


def test_the_started_rasa_server_and_action_server_print_no_third_party_deprecation(live_bot):
    """The session's real servers, started as the Procfile starts them."""
    for name in ("rasa", "actions"):
        log = (live_bot.log_dir / f"{name}.log").read_text()
        assert "up and running" in log, (name, log[-2000:])
        noisy = [line for line in log.splitlines() if any(word in line for word in WARNING_WORDS)]
        assert not noisy, (name, noisy)


@pytest.mark.live
def test_the_action_server_starts_without_sanic_cors_deprecation(tmp_path):
    port = free_port()
    env = {**os.environ, "ACTION_PORT": str(port), "DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}"}
    env.pop("PYTHONWARNINGS", None)
    log_path = tmp_path / "actions.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "actions"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        wait_http(f"http://127.0.0.1:{port}/health", server, timeout=180)
    finally:
        server.terminate()
        server.wait(timeout=30)
    log = log_path.read_text()
    assert "Action endpoint is up and running" in log, log[-2000:]
    assert "DeprecationWarning" not in log and "LooseVersion" not in log, log


SCRIPT = textwrap.dedent("""
    import sys, warnings
    from bot.cli import main
    main(["info"])  # through the dispatch of `python -m bot`, as every process starts
    import sanic  # noqa: F401  (turns every DeprecationWarning on, "once")

    def warn_from(filename, module, text, category):
        code = compile(f"import warnings\\nwarnings.warn({text!r}, {category}, stacklevel=1)", filename, "exec")
        exec(code, {"__name__": module})

    warn_from("/usr/lib/python3/site-packages/thirdparty/old.py", "thirdparty.old",
              "THIRD-PARTY-DEPRECATION", "DeprecationWarning")
    warn_from("/usr/lib/python3/site-packages/thirdparty/old.py", "thirdparty.old",
              "THIRD-PARTY-FUTURE", "FutureWarning")
    warn_from("/usr/lib/python3/site-packages/thirdparty/conf.py", "thirdparty.conf",
              "THIRD-PARTY-USERWARNING", "UserWarning")
    warn_from(sys.argv[1] + "/bot/booking/example.py", "bot.booking.example",
              "OUR-DEPRECATION", "DeprecationWarning")
""")


@pytest.mark.processes
def test_third_party_deprecations_are_hidden_and_ours_are_kept(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}"}
    env.pop("PYTHONWARNINGS", None)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(ROOT)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "THIRD-PARTY-DEPRECATION" not in result.stderr and "THIRD-PARTY-FUTURE" not in result.stderr
    assert "THIRD-PARTY-USERWARNING" in result.stderr  # not a deprecation: kept
    assert "OUR-DEPRECATION" in result.stderr  # ours: kept, though Python hides them by default
    # `python -W ...` asks for Python's own handling: everything is shown.
    loud = subprocess.run(
        [sys.executable, "-W", "default", "-c", SCRIPT, str(ROOT)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "THIRD-PARTY-DEPRECATION" in loud.stderr and "OUR-DEPRECATION" in loud.stderr
