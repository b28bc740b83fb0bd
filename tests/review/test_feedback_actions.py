""" "Cette réponse vous aide ?" and the captures, carried out by the actions.

Each message carries its NLU decision (bot/nlu/decision.py's `answer_decision`), as in
tests/actions/test_answer_actions.py; the actions write into a fresh database named by DATABASE_URL.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ActionAnswer, ActionFeedback, ActionNextAnswer
from actions.fallback import ActionFallback
from bot.db import session_scope
from bot.nlu.decision import DECISION_KEY
from bot.review.feedback import NO_PAYLOAD, YES_PAYLOAD, draw, should_ask
from bot.review.models import AnswerFeedbackCount, ReviewItem, TurnOutcomeCount
from bot.settings import reload_settings
from tests.actions.test_answer_actions import run_coroutine

SPAMS, FULL, PASSWORD = "faq_email/spams", "faq_email/boite_pleine", "faq_email/mot_de_passe_oublie"
QUESTION = "ma boite mail est pleine de pub, mon mail est jean.dupont@gmail.com"


@pytest.fixture
def actions_db(db_engine, sqlite_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("FEEDBACK_RATE", "1.0")
    monkeypatch.setenv("REVIEW_MARGIN", "0.15")
    reload_settings()
    yield db_engine
    monkeypatch.undo()
    reload_settings()


def parse(intent: str, text: str, kind: str | None = None, answer: str | None = None, keys=(), step=0.3) -> dict:
    data = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    if kind:
        data[DECISION_KEY] = {
            "decision": kind,
            "answer": answer,
            "candidates": [{"answer": k, "confidence": 0.9 - i * step} for i, k in enumerate(keys)],
        }
    return data


class Conversation:
    """A conversation's events as Rasa sends them to the action server, played turn by turn."""

    def __init__(self, sender: str = "web:00000000-0000-4000-8000-00000000000a", channel: str = "web"):
        self.sender, self.channel, self.events, self.slots = sender, channel, [], {}
        self.active_loop: dict = {}

    def run(self, action, latest: dict) -> list[dict]:
        self.events.append(
            {"event": "user", "text": latest["text"], "parse_data": latest, "input_channel": self.channel}
        )
        tracker = Tracker(
            self.sender, dict(self.slots), latest, list(self.events), False, None, self.active_loop, "action_listen"
        )
        dispatcher = CollectingDispatcher()
        events = run_coroutine(action.run(dispatcher, tracker, {}))
        for event in events:
            if event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]
        for message in dispatcher.messages:
            self.events.append(
                {
                    "event": "bot",
                    "text": message.get("text") or message.get("response"),
                    "data": {"buttons": message.get("buttons")},
                }
            )
        return dispatcher.messages


def asked_feedback(messages: list[dict]) -> bool:
    return any([b["payload"] for b in m.get("buttons") or []] == [YES_PAYLOAD, NO_PAYLOAD] for m in messages)


def items(engine) -> list[ReviewItem]:
    with session_scope(engine) as session:
        return list(session.execute(sa.select(ReviewItem).order_by(ReviewItem.id)).scalars())


def test_an_answer_is_followed_by_the_question_with_yes_and_no_buttons(actions_db):
    messages = Conversation().run(
        ActionAnswer(), parse("faq_email", QUESTION, "answer", SPAMS, [SPAMS, FULL, PASSWORD])
    )
    assert messages[0]["response"] == "utter_faq_email/spams"
    assert messages[1]["text"] == "Cette réponse vous aide ?"
    assert [b["title"] for b in messages[1]["buttons"]] == ["Oui", "Non"]
    with session_scope(actions_db) as session:
        row = session.execute(sa.select(AnswerFeedbackCount)).scalar_one()
        assert (row.answer_key, row.asked, row.yes, row.no) == (SPAMS, 1, 0, 0)


def test_no_gives_the_next_candidates_and_sends_the_question_to_the_inbox(actions_db):
    talk = Conversation()
    talk.run(ActionAnswer(), parse("faq_email", QUESTION, "answer", SPAMS, [SPAMS, FULL, PASSWORD]))
    messages = talk.run(ActionFeedback(), parse("feedback_no", NO_PAYLOAD))
    assert messages[0]["response"] == "utter_clarify_next"
    assert [b["payload"] for b in messages[0]["buttons"]][:2] == [
        '/choose_answer{"answer_key":"faq_email/boite_pleine"}',
        '/choose_answer{"answer_key":"faq_email/mot_de_passe_oublie"}',
    ]
    [item] = items(actions_db)
    assert item.reason == "feedback_no" and item.answered_with == SPAMS
    assert item.text == "ma boite mail est pleine de pub, mon mail est [masqué]"
    assert [c["answer"] for c in item.candidates] == [SPAMS, FULL, PASSWORD]
    # then "non" again: a conseiller
    messages = talk.run(ActionNextAnswer(), parse("deny", "non"))
    assert [m["response"] for m in messages] == ["utter_no_other_answer"]
    with session_scope(actions_db) as session:
        row = session.execute(sa.select(AnswerFeedbackCount)).scalar_one()
        assert (row.asked, row.yes, row.no) == (1, 0, 1)


def test_a_typed_no_counts_as_no_and_yes_is_thanked(actions_db):
    talk = Conversation()
    talk.run(ActionAnswer(), parse("faq_email", QUESTION, "answer", SPAMS, [SPAMS, FULL]))
    messages = talk.run(ActionNextAnswer(), parse("deny", "non"))
    assert messages[0]["response"] == "utter_clarify_next"
    assert [i.reason for i in items(actions_db)] == ["feedback_no"]
    other = Conversation("web:00000000-0000-4000-8000-00000000000b")
    other.run(ActionAnswer(), parse("faq_email", QUESTION, "answer", SPAMS, [SPAMS, FULL]))
    messages = other.run(ActionFeedback(), parse("affirm", "oui"))
    assert messages[0]["text"].startswith("Merci")
    with session_scope(actions_db) as session:
        row = session.execute(sa.select(AnswerFeedbackCount)).scalar_one()
        assert (row.asked, row.yes, row.no) == (2, 1, 1)


def test_a_typed_number_in_the_widget_answers_the_question(actions_db):
    talk = Conversation()
    talk.run(ActionAnswer(), parse("faq_email", QUESTION, "answer", SPAMS, [SPAMS, FULL]))
    messages = talk.run(ActionFallback(), parse("nlu_fallback", "2"))
    assert messages[0]["response"] == "utter_clarify_next"
    assert [i.reason for i in items(actions_db)] == ["feedback_no"]


def test_never_after_an_urgent_answer(actions_db):
    messages = Conversation().run(
        ActionAnswer(),
        parse("urgence", "on m'a pris ma carte", "answer", "urgence/carte_bancaire", ["urgence/carte_bancaire"]),
    )
    assert [m.get("response") for m in messages] == ["utter_urgence/carte_bancaire", "utter_urgence_offer_conseiller"]
    assert not asked_feedback(messages)


def test_never_twice_in_a_row(actions_db):
    talk = Conversation()
    first = talk.run(ActionAnswer(), parse("faq_email", QUESTION, "answer", SPAMS, [SPAMS]))
    second = talk.run(ActionAnswer(), parse("faq_email", "et mon mot de passe oublie", "answer", PASSWORD, [PASSWORD]))
    third = talk.run(ActionAnswer(), parse("faq_email", "et ma boite pleine", "answer", FULL, [FULL]))
    assert [asked_feedback(first), asked_feedback(second), asked_feedback(third)] == [True, False, True]


def test_never_during_a_booking(actions_db):
    talk = Conversation()
    talk.active_loop = {"name": "triage_form"}
    messages = talk.run(ActionAnswer(), parse("faq_email", QUESTION, "answer", SPAMS, [SPAMS]))
    assert messages[0]["response"] == "utter_faq_email/spams" and not asked_feedback(messages)


def test_the_rate_is_drawn_per_conversation_and_turn():
    assert draw("web:a", 3) == draw("web:a", 3) and draw("web:a", 3) != draw("web:a", 4)
    common = dict(answer_key=SPAMS, asked_last=False, in_form=False)
    assert not any(should_ask(conversation_id=f"web:{i}", turn=1, rate=0.0, **common) for i in range(50))
    assert all(should_ask(conversation_id=f"web:{i}", turn=1, rate=1.0, **common) for i in range(50))
    share = sum(should_ask(conversation_id=f"web:{i}", turn=1, rate=0.25, **common) for i in range(2000)) / 2000
    assert 0.2 < share < 0.3
    assert not should_ask(conversation_id="sms:x", turn=1, rate=1.0, channel="twilio_voice", **common)


def test_declined_clarified_then_autre_chose_fallback_and_small_margin_are_captured(actions_db):
    talk = Conversation()
    talk.run(ActionAnswer(), parse("faq_email", "comment installer minecraft", "decline", None, [SPAMS]))
    talk.run(ActionAnswer(), parse("faq_email", "mail ou photo", "clarify", SPAMS, [SPAMS, FULL]))
    talk.run(ActionNextAnswer(), parse("not_my_question", "autre chose"))
    talk.run(ActionFallback(), parse("nlu_fallback", "blorp zzgl"))
    talk.run(ActionAnswer(), parse("faq_email", "spam ou boite pleine", "answer", SPAMS, [SPAMS, FULL], step=0.1))
    found = [(i.reason, i.text) for i in items(actions_db)]
    assert found == [
        ("declined", "comment installer minecraft"),
        ("clarify_other", "mail ou photo"),
        ("fallback", "blorp zzgl"),
        ("small_margin", "spam ou boite pleine"),
    ]
    with session_scope(actions_db) as session:
        counts = dict(session.execute(sa.select(TurnOutcomeCount.outcome, TurnOutcomeCount.count)).all())
    assert counts == {"decline": 1, "clarify": 1, "fallback": 1, "answer": 1}


def test_a_reply_that_is_not_yes_or_no_is_a_new_question(actions_db):
    talk = Conversation()
    talk.run(ActionAnswer(), parse("faq_email", QUESTION, "answer", SPAMS, [SPAMS, FULL]))
    messages = talk.run(
        ActionAnswer(), parse("faq_email", "et mon mot de passe oublie", "answer", PASSWORD, [PASSWORD])
    )
    assert messages[0]["response"] == "utter_faq_email/mot_de_passe_oublie"
    assert talk.slots["feedback_for"] is None  # the question is no longer pending: a later "2" is not a "Non"
    assert items(actions_db) == []
