"""The web widget in real headless Chromium, against the real trained bot.

A resident opens the city's page, opens the widget with the keyboard, says
hello, books an appointment through the triage (quick replies and typed
answers), picks a slot with a quick reply and sees the confirmation. axe-core
then checks the open widget: zero violations.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.web.conftest import ARTIFACTS
from tests.web.test_web_channel import stored_user_texts
from tests.web.widget_driver import (
    bot_count,
    bot_messages,
    click_reply,
    dialog,
    is_focused,
    launcher,
    replies,
    run_axe,
    tab_to,
    textbox,
    type_and_send,
    user_messages,
    wait_answer,
)


def test_book_an_appointment_through_the_widget_then_axe_finds_nothing(page, web_url, live_bot, axe_path):
    requested_hosts = set()
    page.on("request", lambda request: requested_hosts.add(urlsplit(request.url).netloc))
    page.goto(web_url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Aide numérique")

    # Opened with the keyboard: Tab to the button, Enter. The focus moves into the panel.
    opener = launcher(page)
    expect(opener).to_have_attribute("aria-expanded", "false")
    expect(opener).to_have_attribute("aria-controls", "aidenum-panel")
    tab_to(page, opener)
    page.keyboard.press("Enter")
    expect(opener).to_have_attribute("aria-expanded", "true")
    expect(dialog(page)).to_be_visible()
    expect(textbox(page)).to_be_focused()
    # New messages are announced to screen readers; the widget speaks French whatever the page.
    log = dialog(page).get_by_role("log", name="Messages de la conversation")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(page.locator("aside.aidenum")).to_have_attribute("lang", "fr")

    # The short privacy notice is shown, its link is a link, and it describes the dialog.
    notice = page.locator("#aidenum-notice")
    expect(notice).to_contain_text("garde vos messages 90 jours")
    expect(dialog(page)).to_have_attribute("aria-describedby", "aidenum-notice")
    expect(notice.get_by_role("link")).to_have_attribute("href", re.compile(r"^https://metz\.fr/"))

    answer = type_and_send(page, "Bonjour")
    assert answer.startswith("Bonjour"), answer
    expect(user_messages(page).last).to_have_text(re.compile("Bonjour"))

    assert "questions courtes" in type_and_send(page, "je veux un rendez-vous")
    answer = type_and_send(page, "je n'arrive pas à envoyer un mail avec une pièce jointe")
    assert "appareil" in answer
    expect(replies(page)).to_have_count(5)
    violations = run_axe(page, axe_path)  # with quick replies on screen
    assert violations == [], violations
    assert "adresse e-mail" in click_reply(page, "Téléphone")
    assert "identifiants" in click_reply(page, "Oui")
    assert "quartier" in click_reply(page, "Non")
    assert "Quand" in type_and_send(page, "j'habite à Borny")
    assert "prénom" in click_reply(page, "L'après-midi")
    assert "besoin particulier" in type_and_send(page, "Marie")
    assert "portable" in click_reply(page, "Non")
    offer = type_and_send(page, "passer")
    assert "1." in offer, offer

    # A slot picked with a quick reply: the resident's bubble shows its title, not "1".
    first_slot = replies(page).first
    slot_title = first_slot.inner_text()
    assert slot_title not in ("1", "Autres horaires")
    confirmation = click_reply(page, slot_title)
    assert "Rendez-vous confirmé" in confirmation, confirmation
    expect(user_messages(page).last).to_have_text(re.compile(re.escape("Vous : ") + ".*" + re.escape(slot_title[:20])))

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget-booking.png"))

    # Every control of the open widget is at least 44 px (touch kiosks).
    for control in dialog(page).locator("button, textarea").all():
        if control.is_visible():
            box = control.bounding_box()
            assert box["width"] >= 44 and box["height"] >= 44, (control.inner_text(), box)

    violations = run_axe(page, axe_path)
    assert violations == [], violations

    # No third-party request: only the web process and the Rasa server.
    assert requested_hosts == {urlsplit(web_url).netloc, f"127.0.0.1:{live_bot.rasa_port}"}, requested_hosts

    # The conversation survives a page load: same id, same history, panel still open.
    sender = page.evaluate("localStorage.getItem('aidenum.sender')")
    assert re.fullmatch(r"web:[0-9a-f-]{36}", sender)
    page.reload()
    expect(dialog(page)).to_be_visible()
    expect(page.locator(".aidenum-log")).to_contain_text("Rendez-vous confirmé")
    assert page.evaluate("localStorage.getItem('aidenum.sender')") == sender


def test_keyboard_only_typing_reconnect_and_offline(page, web_url):
    page.goto(web_url + "/")
    opener = launcher(page)
    tab_to(page, opener)
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"  # visible focus
    page.keyboard.press("Enter")
    expect(textbox(page)).to_be_focused()
    assert page.evaluate("parseFloat(getComputedStyle(document.activeElement).outlineWidth)") >= 2
    assert type_and_send(page, "Bonjour").startswith("Bonjour")

    # While the request is in flight the widget shows that the assistant is typing;
    # when the server cannot be reached, the message is kept and sent again.
    held = []
    page.route("**/webhooks/web/webhook", lambda route: held.append(route))
    before = bot_count(page)
    page.keyboard.type("je veux un rendez-vous")
    page.keyboard.press("Enter")
    status = page.locator(".aidenum-status")
    expect(status).to_have_text(re.compile("L'assistant écrit"))
    expect(status).to_have_attribute("role", "status")
    page.wait_for_function("() => true")  # let the route handler run
    assert held, "the message was not sent"
    held[0].abort("connectionrefused")  # the next try (in 1 s) reaches the server again
    page.unroute("**/webhooks/web/webhook")
    expect(page.locator(".aidenum-alert")).to_contain_text("nouvel essai")
    expect(page.locator(".aidenum-msg--pending")).to_have_count(1)
    assert "questions courtes" in wait_answer(page, before)
    expect(page.locator(".aidenum-alert")).to_have_text("")

    # Offline: the resident is told, the typed message waits, and goes when the network is back.
    page.context.set_offline(True)
    expect(page.locator(".aidenum-alert")).to_contain_text("Pas de connexion Internet")
    before = bot_count(page)
    page.keyboard.type("je n'arrive pas à envoyer un mail avec une pièce jointe")
    page.keyboard.press("Enter")
    pending = page.locator(".aidenum-msg--pending")
    expect(pending).to_have_count(1)
    expect(pending).to_contain_text("Pas encore envoyé")
    expect(page.locator(".aidenum-alert")).to_contain_text("dès le retour de la connexion")
    page.context.set_offline(False)
    assert "appareil" in wait_answer(page, before)
    expect(pending).to_have_count(0)

    # Quick replies with the keyboard: Shift+Tab back from the message field, Enter.
    telephone = replies(page).filter(has_text="Téléphone")
    tab_to(page, telephone, backwards=True, limit=10)
    before = bot_count(page)
    page.keyboard.press("Enter")
    assert "adresse e-mail" in wait_answer(page, before)
    expect(textbox(page)).to_be_focused()

    # Escape closes and gives the focus back to the opener; Enter reopens with the history.
    page.keyboard.press("Escape")
    expect(dialog(page)).to_be_hidden()
    expect(opener).to_have_attribute("aria-expanded", "false")
    assert is_focused(opener)
    page.keyboard.press("Enter")
    expect(textbox(page)).to_be_focused()
    expect(page.locator(".aidenum-log")).to_contain_text("adresse e-mail")

    # "Effacer la conversation": nothing left on screen, a new conversation id.
    sender = page.evaluate("localStorage.getItem('aidenum.sender')")
    clear = dialog(page).get_by_role("button", name="Effacer la conversation")
    tab_to(page, clear, backwards=True)
    page.keyboard.press("Enter")
    expect(page.locator(".aidenum-log .aidenum-msg")).to_have_count(0)
    expect(page.locator(".aidenum-alert")).to_contain_text("Conversation effacée")
    assert page.evaluate("localStorage.getItem('aidenum.sender')") != sender
    assert "Bonjour" not in page.evaluate("sessionStorage.getItem('aidenum.history')")

    # What people type is shown as text, never interpreted as HTML.
    before = bot_count(page)
    page.keyboard.type('<img src=x onerror="window.pwned=1"><b>gras</b>')
    page.keyboard.press("Enter")
    wait_answer(page, before)
    expect(user_messages(page).last.locator(".aidenum-text")).to_have_text(
        '<img src=x onerror="window.pwned=1"><b>gras</b>'
    )
    assert page.locator(".aidenum-log img, .aidenum-log b").count() == 0
    assert page.evaluate("window.pwned") is None

    # "Parler à un conseiller" from the header, with the keyboard; the city's number becomes a link.
    human = dialog(page).get_by_role("button", name="Parler à un conseiller")
    tab_to(page, human, backwards=True)
    before = bot_count(page)
    page.keyboard.press("Enter")
    expect(user_messages(page).last).to_contain_text("Je veux parler à un conseiller")
    assert "conseiller" in wait_answer(page, before)
    phone = page.locator(".aidenum-log [data-who=bot]").last.get_by_role("link", name="03 87 55 50 00")
    expect(phone).to_have_attribute("href", "tel:+33387555000")


def test_an_answer_lost_on_the_way_back_is_not_asked_twice(page, web_url, live_bot):
    # The server answers, but the connection breaks before the browser reads it: the
    # widget sends the message again (same message id) and shows the answer once.
    page.goto(web_url + "/")
    launcher(page).click()
    expect(textbox(page)).to_be_focused()
    sent, lost = [], []

    def lose_the_first_answer(route):
        sent.append(route.request.post_data_json)
        if len(sent) == 1:
            lost.extend(route.fetch().json())  # the message reaches the assistant, which answers...
            route.abort("connectionreset")  # ...and the answer is lost
        else:
            route.continue_()

    page.route("**/webhooks/web/webhook", lose_the_first_answer)
    before = bot_count(page)
    answer = type_and_send(page, "comment joindre une photo a un mail")
    assert len(sent) == 2 and sent[0] == sent[1] and sent[0]["message_id"], sent
    assert lost and answer == "\n".join(message["text"] for message in lost), (answer, lost)
    expect(bot_messages(page)).to_have_count(before + len(lost))
    sender = page.evaluate("localStorage.getItem('aidenum.sender')")
    assert stored_user_texts(live_bot, sender).count("comment joindre une photo a un mail") == 1
