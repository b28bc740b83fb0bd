"""The widget when a conseiller takes the conversation over, in real Chromium against the real bot.

The resident asks a question; a conseiller takes the conversation over (the desk's
service, on the bot's database); the widget learns it by polling
/webhooks/web/messages, shows who answers and the conseiller's message without a
reload; the resident's next message goes to the conseiller, not to the assistant;
after the hand-back the assistant answers again.
"""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from bot.conversations import hold as holds
from bot.conversations.models import ConversationMessage
from bot.db import make_engine, session_scope
from bot.desk.accounts import create_user
from bot.settings import get_settings
from bot.sms.outbound import SmsConfig
from bot.staff.models import User
from bot.texts.holds import resumed_text
from tests.web.widget_driver import bot_messages, launcher, textbox, type_and_send

POLL_TIMEOUT_MS = 90_000


def conseiller(engine, email: str = "camille.widget@metz.fr") -> int:
    with session_scope(engine) as session:
        user = session.execute(select(User).where(User.email == email)).scalar_one_or_none()
        if user is None:
            user = create_user(
                session, email=email, password="mot-de-passe-de-test", role="conseiller", conseiller_slug="camille"
            )
        return user.id


def test_the_widget_shows_who_answers_and_the_conseillers_message(page, web_url, live_bot):
    engine = make_engine(live_bot.env["DATABASE_URL"])
    user_id = conseiller(engine)
    page.goto(web_url + "/")
    launcher(page).click()
    expect(textbox(page)).to_be_focused()
    assert type_and_send(page, "Bonjour").startswith("Bonjour")
    sender = page.evaluate("() => localStorage.getItem('aidenum.sender')")
    assert sender and sender.startswith("web:")

    with session_scope(engine) as session:
        user = session.get(User, user_id)
        hold = holds.take_over(session, sender, user, hours=24, sms=SmsConfig.of(get_settings()))
        holds.conseiller_writes(
            session, hold, user, "Bonjour, je regarde votre question.", sms=SmsConfig.of(get_settings())
        )
        hold_id = hold.id
    holder = page.locator(".aidenum-holder")
    expect(holder).to_contain_text("Camille vous répond", timeout=POLL_TIMEOUT_MS)
    expect(bot_messages(page).last).to_contain_text("Bonjour, je regarde votre question.", timeout=POLL_TIMEOUT_MS)
    expect(bot_messages(page).last).to_contain_text("Camille")

    # The resident's answer goes to the conseiller: the assistant says nothing.
    before = bot_messages(page).count()
    textbox(page).fill("Merci, je vous attends")
    textbox(page).press("Enter")
    page.wait_for_function("() => !document.querySelector('.aidenum-msg--pending')", timeout=POLL_TIMEOUT_MS)
    with session_scope(engine) as session:
        texts = [
            m.text
            for m in session.execute(
                select(ConversationMessage).where(
                    ConversationMessage.hold_id == hold_id, ConversationMessage.author == "resident"
                )
            ).scalars()
        ]
    assert texts == ["Merci, je vous attends"]
    with session_scope(engine) as session:
        user = session.get(User, user_id)
        holds.conseiller_writes(
            session,
            holds.hold_row(session, sender),
            user,
            "Voici la marche à suivre.",
            sms=SmsConfig.of(get_settings()),
        )
    expect(bot_messages(page).last).to_contain_text("Voici la marche à suivre.", timeout=POLL_TIMEOUT_MS)
    # No answer of the assistant in between: the conseiller's message, and the away notice when
    # Camille's permanence is closed now ("un conseiller vous répondra mercredi... à 9 h").
    new = bot_messages(page).all_inner_texts()[before:]
    assert new[-1].endswith("Voici la marche à suivre.")
    assert all("Un conseiller vous répondra" in text for text in new[:-1]), new

    # Handed back: the widget says so, and the assistant answers the next message.
    with session_scope(engine) as session:
        holds.hand_back(
            session, holds.hold_row(session, sender), session.get(User, user_id), sms=SmsConfig.of(get_settings())
        )
    expect(bot_messages(page).last).to_contain_text(resumed_text(), timeout=POLL_TIMEOUT_MS)
    expect(holder).to_be_hidden()
    assert "Bonjour" in type_and_send(page, "Bonjour")
    engine.dispose()
