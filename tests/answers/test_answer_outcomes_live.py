"""The three outcomes and "autre chose", with the real trained bot, by SMS and in the widget.

The dialogue itself is tested message by message in tests/actions/test_answer_actions.py (each
message there carries its decision). Here the real model decides: each test tries a few
plain messages and uses the first whose stored decision (read back from the tracker
store, `decide()` on the parse Rasa kept) is the outcome under test, so a retrained model
that moves one message changes which one is used, not what is checked. The test fails,
saying so, when none of them gets that outcome.
"""

from __future__ import annotations

import itertools
import json
import re
import urllib.request
import uuid

import pytest
from sqlalchemy import create_engine, select, text

from bot.answer_titles import titles
from bot.db import make_engine, session_scope
from bot.nlu.decision import decide
from bot.residents import Resident, sms_conversation_id
from bot.tickets.models import Ticket
from tests.answers.test_answers_conversations import domain_responses, response_name
from tests.sms.live import new_sms, sms_to
from tests.sms.live import text as text_sms
from tests.support.live_bot import TEST_SECRETS

HASH_KEY = TEST_SECRETS["HASH_KEY"]

CLOSE_CALLS = [
    "mail",
    "impots",
    "facebook",
    "photo",
    "le site ne marche pas et mon mot de passe non plus",
    "je veux changer la couleur de ma voiture sur le site",
    "application",
    "scanner",
]
NO_ANSWER = [
    "comment installer minecraft sur ma tablette",
    "je voudrais apprendre a coder en python",
    "scanner",
    "application",
    "banque",
    "wifi",
    "comment réparer la chasse d'eau avec internet",
    "comment on fait pour les papiers",
    "comment changer la roue de secours de mon vélo électrique",
]
ANSWERED_WITH_OTHERS = [
    "ma boite mail est pleine de spams",
    "scanner un document ou un qr code",
    "comment imprimer mes photos de vacances en album",
    "et comment on met une photo en piece jointe dans un mail ?",
    "jai oublier le mot de passe de ma boite gmail je peux plus lire mes mails",
]
CAF = "je dois faire ma demande à la CAF mais j'ai pas d'ordinateur et pas d'adresse mail"

_phones = itertools.count(1)


def web_say(bot, sender: str, message: str) -> list[dict]:
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{bot.rasa_port}/webhooks/web/webhook",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def stored_decision(bot, conversation: str):
    """The decision of the latest user message of a conversation, as Rasa stored its parse."""
    engine = create_engine(bot.env["DATABASE_URL"])
    with engine.connect() as conn:
        rows = (
            conn.execute(text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": conversation})
            .scalars()
            .all()
        )
    engine.dispose()
    users = [json.loads(r) for r in rows if json.loads(r).get("event") == "user"]
    return decide(users[-1].get("parse_data") or {})


def fits(bot, conversation: str, decision, kind: str) -> bool:
    """The outcome asked for; a decline counts only when the NLU took it for a help question
    (below the fallback threshold the assistant asks to rephrase instead)."""
    if decision.kind != kind:
        return False
    if kind != "decline":
        return True
    engine = create_engine(bot.env["DATABASE_URL"])
    with engine.connect() as conn:
        rows = (
            conn.execute(text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": conversation})
            .scalars()
            .all()
        )
    engine.dispose()
    users = [json.loads(r) for r in rows if json.loads(r).get("event") == "user"]
    return ((users[-1].get("parse_data") or {}).get("intent") or {}).get("name") != "nlu_fallback"


def first_web(bot, kind: str, messages: list[str], min_candidates: int = 0):
    for message in messages:
        sender = f"web:{uuid.uuid4()}"
        replies = web_say(bot, sender, message)
        decision = stored_decision(bot, sender)
        if fits(bot, sender, decision, kind) and len(decision.candidates) >= min_candidates:
            return sender, replies, decision
    raise AssertionError(f"none of {messages} got the outcome {kind!r} from this model: add a message that does")


def new_phone() -> str:
    return f"+3362{next(_phones):07d}"


def sms_say(bot, phone: str, body: str) -> list[str]:
    before = len(sms_to(bot, phone))
    assert text_sms(bot, phone, body).status == 200
    return new_sms(bot, phone, before)


def first_sms(bot, kind: str, messages: list[str]):
    for message in messages:
        phone = new_phone()
        replies = sms_say(bot, phone, message)
        decision = stored_decision(bot, sms_conversation_id(phone, HASH_KEY))
        if fits(bot, sms_conversation_id(phone, HASH_KEY), decision, kind):
            return phone, replies, decision
    raise AssertionError(f"none of {messages} got the outcome {kind!r} by SMS: add a message that does")


def folded(value: str) -> str:
    from bot.sms.encoding import normalise

    return normalise(value, fold_accents=True)


def test_widget_a_close_call_gets_quick_replies_and_the_second_gives_its_answer(live_bot):
    sender, replies, decision = first_web(live_bot, "clarify", CLOSE_CALLS)
    question = replies[-1]
    assert question["text"] == "Votre question porte sur :"
    keys = [key for key, _ in decision.candidates]
    assert [b["title"] for b in question["buttons"]] == [titles()[k] for k in keys] + ["Autre chose"]
    second = web_say(live_bot, sender, question["buttons"][1]["payload"])
    assert response_name(second[0]["text"]) == f"utter_{keys[1]}", second
    assert "RDV" in " ".join(m["text"] for m in web_say(live_bot, sender, "autre chose"))


def test_sms_a_close_call_gets_numbered_choices_and_2_gives_the_second_answer(live_bot):
    phone, replies, decision = first_sms(live_bot, "clarify", CLOSE_CALLS)
    question = replies[-1]
    keys = [key for key, _ in decision.candidates]
    assert question.startswith("Votre question porte sur :")
    assert re.search(r"(?m)^1\. " + re.escape(folded(titles()[keys[0]])) + "$", question), question
    assert f"{len(keys) + 1}. Autre chose" in question and folded("Répondez avec le numéro.") in question
    answer = sms_say(live_bot, phone, "2")
    expected = [folded(t) for t in domain_responses()[f"utter_{keys[1]}"]]
    assert answer and answer[0] in expected, (answer, keys)


def test_no_fitting_answer_says_so_and_offers_a_conseiller(live_bot):
    _, replies, _ = first_web(live_bot, "decline", NO_ANSWER)
    assert [m["text"] for m in replies] == [
        "Je n'ai pas de réponse à cette question. Un conseiller peut vous aider : écrivez RDV."
    ]
    phone, replies, _ = first_sms(live_bot, "decline", NO_ANSWER)
    assert replies[-1] == folded(
        "Je n'ai pas de réponse à cette question. Un conseiller peut vous aider : écrivez RDV."
    )


def test_autre_chose_after_an_answer_gives_the_next_candidates_then_a_conseiller(live_bot):
    sender, replies, decision = first_web(live_bot, "answer", ANSWERED_WITH_OTHERS, min_candidates=2)
    assert response_name(replies[0]["text"]) == f"utter_{decision.answer}"
    others = [key for key, _ in decision.candidates if key != decision.answer]
    next_question = web_say(live_bot, sender, "autre chose")[-1]
    assert next_question["text"] == "Votre question porte peut-être sur :"
    assert [b["title"] for b in next_question["buttons"]] == [titles()[k] for k in others] + ["Autre chose"]
    last = web_say(live_bot, sender, "ce n'est pas ma question")
    assert [m["text"] for m in last] == [
        "Je n'ai pas d'autre réponse à cette question. Un conseiller peut vous aider : écrivez RDV."
    ]


def test_no_computer_and_no_email_are_not_recorded_as_owned(live_bot):
    bot, sender = live_bot, f"web:{uuid.uuid4()}"
    web_say(bot, sender, CAF)
    question = web_say(bot, sender, "RDV")[-1]["text"]
    asked = [question]
    answers = {
        "appareil": "2",
        "identifiants": "non",
        "quartier": "Borny",
        "Quand": "3",
        "prénom": "Rose",
        "besoin particulier": "1",
        "portable": "06 12 34 00 78",
        "En quelques mots": "ma demande CAF",
    }
    for _ in range(len(answers)):
        key = next((k for k in answers if k in question), None)
        assert key is not None, question
        question = " ".join(m.get("text", "") for m in web_say(bot, sender, answers.pop(key)))
        asked.append(question)
        if "Voici les prochains rendez-vous" in question:
            break
    assert "Quel appareil" in asked[0] or any("Quel appareil" in q for q in asked), "the device was not asked"
    assert not any("adresse e-mail" in q for q in asked), "the e-mail question was asked again"
    assert "Rendez-vous confirmé" in " ".join(m.get("text", "") for m in web_say(bot, sender, "1"))
    engine = make_engine(bot.env["DATABASE_URL"])
    with session_scope(engine) as session:
        ticket = (
            session.execute(
                select(Ticket)
                .join(Resident, Ticket.resident_id == Resident.id)
                .where(Resident.conversation_id == sender)
            )
            .scalars()
            .first()
        )
        assert ticket.triage["materiel"] == "telephone", ticket.triage  # what was answered, not "ordinateur"
        assert ticket.triage["has_email"] == "non"
    engine.dispose()


def test_an_appointment_request_for_a_need_is_not_asked_the_need_again(live_bot):
    bot, sender = live_bot, f"web:{uuid.uuid4()}"
    message = "je voudrais un rendez-vous avec un conseiller pour mes mails"
    replies = [m.get("text", "") for m in web_say(bot, sender, message)]
    assert "questions courtes" in replies[0], replies
    assert "En quelques mots" not in replies[-1] and "appareil" in replies[-1], replies
    engine = create_engine(bot.env["DATABASE_URL"])
    with engine.connect() as conn:
        rows = (
            conn.execute(text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender})
            .scalars()
            .all()
        )
    engine.dispose()
    slots = {json.loads(r)["name"]: json.loads(r)["value"] for r in rows if json.loads(r).get("event") == "slot"}
    assert slots["besoin"] == message and slots["thematique"] == "email"


@pytest.mark.xfail(
    reason="with the joint answer classifier a typed '2' is read as out_of_scope before "
    "action_answer can map it; the widget's quick replies (taps) send the payload "
    "and work (test_widget_a_close_call...), SMS numbers work through bot/sms/choices",
    strict=False,
)
def test_widget_a_number_typed_instead_of_a_tap_is_that_choice(live_bot):
    sender, _, decision = first_web(live_bot, "clarify", CLOSE_CALLS)
    keys = [key for key, _ in decision.candidates]
    answer = web_say(live_bot, sender, "2")
    assert response_name(answer[0]["text"]) == f"utter_{keys[1]}", answer
