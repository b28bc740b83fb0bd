"""The review inbox in a real browser (Debian's Chromium, Playwright), on the desk as `make run`
serves it (.venv-desk, gunicorn): a coordinateur labels a misread message, and axe-core finds no
accessibility violation on the inbox nor on the statistics page."""

from __future__ import annotations

import os
import subprocess
import uuid

import pytest
from playwright.sync_api import sync_playwright

from bot import migrate
from bot.db import make_engine, session_scope
from bot.desk.accounts import create_user
from bot.review.capture import capture
from bot.review.counters import count_feedback, count_outcome
from bot.review.models import ReviewItem
from bot.settings import ROOT
from tests.desk.test_desk_browser import CHROMIUM_ARGS
from tests.support.live_bot import free_port, wait_http
from tests.support.runtimes import desk_python
from tests.web.conftest import AXE
from tests.web.widget_driver import run_axe

PASSWORD = "un-mot-de-passe-solide"


@pytest.mark.browser
@pytest.mark.processes
def test_a_coordinateur_labels_a_message_in_a_real_browser_and_axe_finds_nothing(tmp_path):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make browser-deps`")
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        create_user(session, email="coord@metz.fr", password=PASSWORD, role="coordinateur")
        item = capture(
            session,
            conversation_id="web:1",
            reason="declined",
            text="comment mettre la carte vitale sur mon telephone, mon mail est a.b@free.fr",
            context="Bonjour ! Posez votre question.",
            candidates=[
                {"answer": "faq_sante/ameli", "confidence": 0.31},
                {"answer": "faq_email/spams", "confidence": 0.2},
            ],
        )
        item_id = item.id
        count_outcome(session, "decline")
        count_feedback(session, "faq_email/spams", "no")
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DESK_PORT": str(port),
        "DESK_COOKIE_SECURE": "false",
        "DESK_SECRET_KEY": "browser-test-" + uuid.uuid4().hex,
    }
    log = open(tmp_path / "desk.log", "w")
    desk = subprocess.Popen(
        [desk_python(), "-m", "bot", "serve", "desk"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{base}/connexion", desk, timeout=120)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            context = browser.new_context(locale="fr-FR", bypass_csp=True)  # axe is injected as a script
            page = context.new_page()
            page.goto(f"{base}/connexion")
            page.fill("#email", "coord@metz.fr")
            page.fill("#password", PASSWORD)
            page.click("button:has-text('Se connecter')")
            page.click("text=Messages à revoir")
            assert "a.b@free.fr" not in page.content() and "[masqué]" in page.content()
            assert run_axe(page, AXE) == []
            page.select_option(f"#reponse-{item_id}", "faq_email/spams")
            page.check(f"#etiquette-{item_id}-answer")
            page.click("button:has-text('Enregistrer')")
            assert "1 message(s) étiqueté(s) : La bonne réponse." in page.content()
            page.click("text=Apprentissage")
            assert "Apprentissage : statistiques" in page.content()
            assert run_axe(page, AXE) == []
            browser.close()
    finally:
        desk.terminate()
        desk.wait(timeout=30)
    with session_scope(engine) as session:
        labelled = session.get(ReviewItem, item_id)
        assert (labelled.label, labelled.label_answer) == ("answer", "faq_email/spams")
    engine.dispose()
