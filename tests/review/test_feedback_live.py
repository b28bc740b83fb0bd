""" "Cette réponse vous aide ?" with the real trained bot (FEEDBACK_RATE=1.0), by SMS and in the widget:
answer -> the question -> "2" / a tap on Non -> the next candidates, and the message is in the review inbox.

The messages are chosen as in tests/answers/test_answer_outcomes_live.py: the first whose stored decision is
to answer with other candidates, so a retrained model changes which message is used, not what is checked.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bot.answer_titles import titles
from bot.db import make_engine, session_scope
from bot.residents import sms_conversation_id
from bot.review.feedback import NO_PAYLOAD, YES_PAYLOAD
from bot.review.models import AnswerFeedbackCount, ReviewItem
from tests.answers.test_answer_outcomes_live import ANSWERED_WITH_OTHERS, first_sms, first_web, folded, sms_say, web_say
from tests.answers.test_answers_conversations import response_name
from tests.conftest import load_city_places
from tests.support.live_bot import TEST_SECRETS

HASH_KEY = TEST_SECRETS["HASH_KEY"]

pytestmark = pytest.mark.model

QUESTION = "Cette réponse vous aide ?"


@pytest.fixture(scope="module")
def feedback_bot(model_path, tmp_path_factory):
    from bot import migrate
    from tests.support.live_bot import start_live_bot

    folder = tmp_path_factory.mktemp("feedback_bot")
    database_url = f"sqlite:///{folder / 'app.db'}"
    migrate.upgrade(database_url)
    load_city_places(database_url)
    bot = start_live_bot(model_path, database_url, folder / "logs", extra_env={"FEEDBACK_RATE": "1.0"})
    yield bot
    bot.stop()


def review_items(bot, conversation_id: str) -> list[ReviewItem]:
    engine = make_engine(bot.env["DATABASE_URL"])
    with session_scope(engine) as session:
        found = list(
            session.execute(
                sa.select(ReviewItem).where(ReviewItem.conversation_id == conversation_id).order_by(ReviewItem.id)
            ).scalars()
        )
    engine.dispose()
    return found


def test_widget_no_gives_the_next_candidates_and_the_message_reaches_the_inbox(feedback_bot):
    sender, replies, decision = first_web(feedback_bot, "answer", ANSWERED_WITH_OTHERS, min_candidates=2)
    assert response_name(replies[0]["text"]) == f"utter_{decision.answer}"
    assert replies[-1]["text"] == QUESTION
    assert [(b["title"], b["payload"]) for b in replies[-1]["buttons"]] == [("Oui", YES_PAYLOAD), ("Non", NO_PAYLOAD)]
    others = [key for key, _ in decision.candidates if key != decision.answer]
    next_question = web_say(feedback_bot, sender, NO_PAYLOAD)[-1]  # a tap on "Non"
    assert next_question["text"] == "Votre question porte peut-être sur :"
    assert [b["title"] for b in next_question["buttons"]] == [titles()[k] for k in others] + ["Autre chose"]
    [item] = review_items(feedback_bot, sender)
    assert item.reason == "feedback_no" and item.answered_with == decision.answer and item.channel == "web"
    assert [c["answer"] for c in item.candidates] == [key for key, _ in decision.candidates]
    assert item.text in ANSWERED_WITH_OTHERS and item.context is None  # the first message: no bot message before it


def test_sms_2_is_no_and_1_is_yes(feedback_bot):
    phone, replies, decision = first_sms(feedback_bot, "answer", ANSWERED_WITH_OTHERS)
    assert replies[-1].startswith(folded(QUESTION)) and "1. Oui\n2. Non" in replies[-1], replies
    next_question = sms_say(feedback_bot, phone, "2")
    assert next_question[-1].startswith(folded("Votre question porte peut-être sur :")) or next_question[-1] == folded(
        "Je n'ai pas d'autre réponse à cette question. Un conseiller peut vous aider : écrivez RDV."
    )
    [item] = review_items(feedback_bot, sms_conversation_id(phone, HASH_KEY))
    assert item.reason == "feedback_no" and item.channel == "sms" and item.answered_with == decision.answer

    other, replies, decision = first_sms(feedback_bot, "answer", ANSWERED_WITH_OTHERS)
    assert "1. Oui\n2. Non" in replies[-1]
    assert sms_say(feedback_bot, other, "1")[-1].startswith("Merci")
    assert review_items(feedback_bot, sms_conversation_id(other, HASH_KEY)) == []
    engine = make_engine(feedback_bot.env["DATABASE_URL"])
    with session_scope(engine) as session:
        rows = session.execute(sa.select(AnswerFeedbackCount)).scalars().all()
        assert sum(r.yes for r in rows) >= 1 and sum(r.no for r in rows) >= 1
    engine.dispose()


def test_a_reply_that_is_not_1_or_2_is_a_new_question_and_the_next_answer_is_not_asked_about(feedback_bot):
    sender, replies, _ = first_web(feedback_bot, "answer", ANSWERED_WITH_OTHERS, min_candidates=2)
    assert replies[-1]["text"] == QUESTION
    again = web_say(feedback_bot, sender, ANSWERED_WITH_OTHERS[-1])  # a new question instead of 1 or 2
    assert again and (response_name(again[0]["text"]) or "").startswith(
        ("utter_faq_", "utter_clarify", "utter_no_answer")
    ), again
    assert all(m.get("text") != QUESTION for m in again)  # never twice in a row
    assert review_items(feedback_bot, sender) == []  # not read as a "Non"
