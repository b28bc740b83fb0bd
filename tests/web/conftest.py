"""Fixtures of the web widget's tests: the web process and real headless Chromium.

The web process is started exactly as `make run` starts it
(`.venv-desk/bin/python -m bot serve web`: gunicorn), pointed at the live bot's Rasa server.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import ROOT
from tests.support.live_bot import free_port, wait_http
from tests.support.runtimes import desk_python

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="session")
def web_url(live_bot, tmp_path_factory) -> str:
    """The web process (demo page, widget files), talking to the live bot."""
    port = free_port()
    env = {**live_bot.env, "WEB_PORT": str(port)}
    log_path = tmp_path_factory.mktemp("web") / "web.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [desk_python(), "-m", "bot", "serve", "web"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        wait_http(f"http://127.0.0.1:{port}/health", process, timeout=60)
    except Exception:
        process.kill()
        sys.stderr.write(log_path.read_text()[-3000:])
        raise
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps` (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context_options() -> dict:
    return {"locale": "fr-FR", "viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def page(browser, context_options):
    context = browser.new_context(**context_options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_path() -> Path:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make browser-deps` (npm ci --prefix tests/browser)")
    return AXE
