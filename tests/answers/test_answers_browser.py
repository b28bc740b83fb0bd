"""Done-when, in a real browser: a coordinateur fixes a wrong phone number in an answer from the
desk, as a new user would (search, open, type: the check as you type says the number is not
listed; add it with its source; save), and the next SMS a resident gets carries the new number."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid

import pytest
from playwright.sync_api import expect, sync_playwright

from bot.answers import store
from bot.answers.seed import seed
from bot.db import make_engine, session_scope
from bot.settings import ROOT
from tests.desk.test_desk_browser import CHROMIUM_ARGS, PASSWORD
from tests.sms.live import fresh_mobile, new_sms, sms_to, text
from tests.support.live_bot import free_port, wait_http

KEY = "utter_ask_human"
OLD, NEW = "03 87 55 50 00", "03 87 55 52 52"

pytestmark = [pytest.mark.live, pytest.mark.browser]  # it starts the desk and Chromium itself


def test_a_coordinateur_fixes_a_phone_number_in_a_real_browser_and_the_next_sms_carries_it(live_bot):
    bot = live_bot
    engine = make_engine(bot.env["DATABASE_URL"])
    with session_scope(engine) as session:
        seed(session)
        version = store.get(session, KEY).version
    phone = fresh_mobile()
    port = free_port()
    env = {
        **bot.env,
        "DESK_PORT": str(port),
        "DESK_COOKIE_SECURE": "false",
        "DESK_SECRET_KEY": "browser-test-" + uuid.uuid4().hex,
    }
    email = f"coordination-{uuid.uuid4().hex[:6]}@metz.fr"
    created = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "users",
            "create",
            "--email",
            email,
            "--role",
            "coordinateur",
            "--password-stdin",
        ],
        cwd=ROOT,
        env=env,
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert created.returncode == 0, created.stderr
    log = open(bot.log_dir / "desk-answers.log", "w")
    desk = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "desk"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{base}/connexion", desk, timeout=120)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page()
            errors = []
            # Script errors and CSP refusals (a refused save answers 400: that one is expected).
            page.on(
                "console",
                lambda m: (
                    errors.append(m.text)
                    if m.type == "error" and not m.text.startswith("Failed to load resource")
                    else None
                ),
            )
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{base}/")
            page.fill("#email", email)
            page.fill("#password", PASSWORD)
            page.click("button:has-text('Se connecter')")
            page.click("text=Réponses")
            page.fill("#q", "appeler la mairie")
            page.click("button:has-text('Chercher')")
            page.click(f"a:has-text('{KEY}')")
            field = page.locator("#texte_0")
            # Typed before static/answers.js listens, the text would never be checked as you type.
            expect(page.locator("#answer-form")).to_have_attribute("data-checks", "on", timeout=30_000)
            typed = field.input_value().replace(OLD, NEW)
            field.fill(typed)
            # Checks as you type (static/answers.js, allowed by the editor's own CSP).
            # The check runs 0.6 s after the last key, on the desk server: a loaded CI machine takes its time.
            expect(page.locator("#live_0")).to_contain_text("n'est pas dans la liste des références", timeout=30_000)
            page.click("button:has-text('Enregistrer')")
            expect(page.locator("#refus")).to_contain_text("Le numéro « 0387555252 »", timeout=30_000)
            assert page.locator("#texte_0").input_value() == typed  # nothing typed is lost
            page.fill("#ref_valeur", NEW)
            page.fill("#ref_quoi", "Accueil de l'aide numérique (essai)")
            page.fill("#ref_source", "metz.fr, page Contact (essai)")
            page.click("button:has-text('Enregistrer')")
            expect(page.locator(".flash.info")).to_contain_text("Réponse enregistrée", timeout=30_000)
            assert not errors, errors
            browser.close()
        before = len(sms_to(bot, phone))
        answer = text(bot, phone, "je veux parler à une personne")
        # The webhook answers once the replies are sent, or at its deadline with the replies to follow.
        assert answer.status == 200, (answer, (bot.log_dir / "rasa.log").read_text()[-4000:])
        deadline = time.monotonic() + 60
        replies = new_sms(bot, phone, before)  # a first SMS also brings the privacy notice
        while not any(NEW in reply for reply in replies) and time.monotonic() < deadline:
            time.sleep(0.5)
            replies = new_sms(bot, phone, before)
        assert any(NEW in reply for reply in replies) and not any(OLD in reply for reply in replies), (
            replies,
            answer.body,  # TwiML: a technical-problem message here means the webhook itself failed
            (bot.log_dir / "rasa.log").read_text()[-4000:],
        )
    finally:
        desk.terminate()
        desk.wait(timeout=20)
        with session_scope(engine) as session:  # the session's live bot serves other tests: put it back
            store.revert(session, KEY, version, "test")
        engine.dispose()
