"""Done-when test: a conversation with the bot books an appointment; a
conseiller logs in to the desk in headless Chromium, finds the ticket, texts
the resident (captured at the Twilio HTTP edge), records the outcome, and the
CSV export holds that activity."""

from __future__ import annotations

import subprocess
import uuid

import pytest
from playwright.sync_api import sync_playwright
from sqlalchemy import select

from bot.booking.models import Appointment
from bot.db import make_engine, session_scope
from bot.places.models import Permanence
from bot.settings import ROOT
from bot.tickets.models import Ticket
from tests.support.live_bot import free_port, wait_http
from tests.support.runtimes import desk_python
from tests.support.twilio_edge import recorded

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "un-mot-de-passe-solide"
ARTIFACTS = ROOT / "tests" / "artifacts"

pytestmark = [pytest.mark.live, pytest.mark.browser]  # it starts the desk and Chromium itself


def book_by_conversation(bot, phone_words: str) -> None:
    sender = "web:" + uuid.uuid4().hex
    say = lambda text: " ".join(bot.texts(sender, text))  # noqa: E731
    say("bonjour")
    say("je veux un rendez-vous")
    say("je n'arrive pas à envoyer un mail avec une pièce jointe")
    for answer in ("2", "oui", "non", "j'habite à Borny", "plutôt l'après-midi", "Lucie", "1", phone_words):
        say(answer)
    assert "Rendez-vous confirmé" in say("1")


def test_a_conseiller_texts_the_resident_and_records_the_outcome_in_a_real_browser(live_bot):
    bot, phone = live_bot, "+33612340777"
    book_by_conversation(bot, "06 12 34 07 77")
    engine = make_engine(bot.env["DATABASE_URL"])
    with session_scope(engine) as session:
        ticket = session.execute(select(Ticket).order_by(Ticket.id.desc())).scalars().first()
        appointment = session.get(Appointment, ticket.appointment_id)
        conseiller_slug = session.get(Permanence, appointment.permanence_id).conseiller.slug
        ticket_id = ticket.id
    engine.dispose()

    port = free_port()
    env = {
        **bot.env,
        "DESK_PORT": str(port),
        "DESK_COOKIE_SECURE": "false",
        "DESK_SECRET_KEY": "browser-test-" + uuid.uuid4().hex,
    }
    email = f"{conseiller_slug}-{uuid.uuid4().hex[:6]}@metz.fr"
    created = subprocess.run(
        [
            desk_python(),
            "-m",
            "bot",
            "users",
            "create",
            "--email",
            email,
            "--role",
            "conseiller",
            "--conseiller",
            conseiller_slug,
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
    log = open(bot.log_dir / "desk.log", "w")
    desk = subprocess.Popen(
        [desk_python(), "-m", "bot", "serve", "desk"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{base}/connexion", desk, timeout=120)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"{base}/")
            assert "/connexion" in page.url  # behind login
            page.fill("#email", email)
            page.fill("#password", PASSWORD)
            page.click("button:has-text('Se connecter')")
            page.click(f"text=Ouvrir le ticket n° {ticket_id}")
            assert f"/tickets/{ticket_id}" in page.url
            assert "Lucie" in page.content()

            page.fill("#texte", "Bonjour Lucie, pensez à votre téléphone. A mardi !")
            page.click("button:has-text('Envoyer le SMS')")
            assert "SMS envoyé." in page.content()

            page.fill("#duree", "50")
            page.select_option("#autonomie", "partiellement_autonome")
            page.check("input[name=thematiques][value=email]")
            page.check("input[name=materiel][value=telephone]")
            page.select_option("#orientation", "aide_aux_demarches_administratives")
            page.click("button:has-text('Enregistrer le bilan')")
            assert "Bilan enregistré" in page.content()
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "desk_ticket.png"), full_page=True)

            csv_text = page.request.get(f"{base}/export.csv").text()
            browser.close()
    finally:
        desk.terminate()
        desk.wait(timeout=20)
        log.close()

    sms = [r["data"] for r in recorded(bot.twilio_record_file) if r["data"].get("To") == phone]
    assert any(m["Body"].startswith("Bonjour Lucie, pensez à votre téléphone") for m in sms), sms
    row = [line for line in csv_text.splitlines() if line.endswith(f";{ticket_id}")]
    assert len(row) == 1, csv_text
    assert "E-mail" in row[0] and "Téléphone" in row[0] and ";2/3;Oui;" in row[0]
    assert ";50;" in row[0] and "(France Services…)" in row[0]
