"""What the first message already said pre-fills the triage, and nothing it denies.

"je dois faire ma demande à la CAF mais j'ai pas d'ordinateur et pas d'adresse mail"
must not record materiel=ordinateur nor has_email=oui (it records has_email=non);
"je voudrais un rendez-vous pour apprendre à me servir de mon téléphone" opens the
triage with the need known (the form does not ask "pour quoi ?").
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.context import materiel_named, thematique_named
from actions.triage import ActionStartTriage
from bot.settings import reload_settings
from bot.triage.answers import is_negated, need_named, stated_has_email, stated_has_login
from tests.conftest import migrated

CAF = "je dois faire ma demande à la CAF mais j'ai pas d'ordinateur et pas d'adresse mail"
PHONE_NEED = "je voudrais un rendez-vous pour apprendre à me servir de mon téléphone"
MAIL_NEED = "je voudrais un rendez-vous avec un conseiller pour mes mails"


def run_coroutine(coroutine):
    """asyncio.run in a thread of its own: safe even when a browser test left a loop running here."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def entity(text: str, word: str, value: str | None = None) -> dict:
    start = text.index(word)
    return {"entity": "appareil", "value": value or word, "start": start, "end": start + len(word)}


def user(text: str, intent: str, entities=(), ranking=()) -> dict:
    return {
        "event": "user",
        "text": text,
        "parse_data": {
            "text": text,
            "intent": {"name": intent, "confidence": 0.9},
            "entities": list(entities),
            "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking],
        },
    }


def tracker(*events: dict) -> Tracker:
    latest = next(e for e in reversed(events) if e["event"] == "user")["parse_data"]
    return Tracker("web:test-prefill", {}, latest, list(events), False, None, {}, "action_listen")


@pytest.mark.parametrize(
    "text, word, lacking",
    [
        (CAF, "ordinateur", True),
        ("je n'ai ni ordinateur ni téléphone", "téléphone", True),
        ("j'ai plus de téléphone depuis hier", "téléphone", True),
        ("sans ordi je fais comment", "ordi", True),
        ("mon ordinateur ne marche pas", "ordinateur", False),
        ("je n'arrive pas à allumer mon ordinateur", "ordinateur", False),
        ("j'ai un ordi mais pas de mail", "ordi", False),
    ],
)
def test_a_device_said_to_be_lacking_is_negated(text, word, lacking):
    assert is_negated(text, text.index(word)) is lacking


def test_no_email_and_no_login_are_read_from_the_message():
    assert stated_has_email(CAF) == "non"
    assert stated_has_email("j'ai oublié le mot de passe de ma boite mail") is None  # asked, not guessed
    assert stated_has_login("je n'ai pas de compte ameli") == "non"
    assert stated_has_login(CAF) is None


@pytest.mark.parametrize(
    "text, named",
    [
        (PHONE_NEED, True),
        (MAIL_NEED, True),
        ("il me faut un rdv pour ma declaration", True),
        ("je veux un rdv", False),
        ("un rdv pour mardi matin à borny", False),
        ("rdv pour moi svp", False),
    ],
)
def test_an_appointment_request_that_says_what_for(text, named):
    assert need_named(text) is named


def test_a_device_the_person_lacks_is_never_recorded():
    caf = user(CAF, "faq_social_sante", [entity(CAF, "ordinateur")])
    assert materiel_named(tracker(caf, user("RDV", "book_appointment"))) is None
    phone = user(PHONE_NEED, "book_appointment", [entity(PHONE_NEED, "téléphone")])
    assert materiel_named(tracker(phone)) == "telephone"


def test_the_topic_of_an_appointment_request_comes_from_the_nlu():
    parse = user(MAIL_NEED, "book_appointment", ranking=[("book_appointment", 0.8), ("faq_email", 0.1)])["parse_data"]
    assert thematique_named(parse) == "email"
    parse["answer_decision"] = {
        "decision": "decline",
        "candidates": [{"answer": "faq_prendre_en_main_du_materiel/premiers_pas"}],
    }
    assert thematique_named(parse) == "prendre_en_main_du_materiel"
    # The answer classifier reads the topic apart from the request's words (bot/nlu/request_topic.py):
    # what it wrote wins, including "no topic".
    parse["request_topic"] = "faq_email"
    assert thematique_named(parse) == "email"
    parse["request_topic"] = None
    assert thematique_named(parse) is None


@pytest.fixture
def actions_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'actions.db'}"
    migrated(url)
    monkeypatch.setenv("DATABASE_URL", url)
    reload_settings()
    yield url
    monkeypatch.undo()
    reload_settings()


def start_triage(*events: dict) -> dict:
    dispatcher = CollectingDispatcher()
    result = run_coroutine(ActionStartTriage().run(dispatcher, tracker(*events), {}))
    slots = {}
    for event in result:
        slots[event["name"]] = event["value"]  # the last SlotSet of a slot wins, as in Rasa
    return slots


def test_the_caf_message_then_rdv_records_no_computer_and_no_email(actions_db):
    caf = user(CAF, "faq_social_sante", [entity(CAF, "ordinateur")])
    slots = start_triage(caf, user("RDV", "book_appointment"))
    assert slots["materiel"] is None, "a device the person lacks was recorded"
    assert slots["has_email"] == "non"
    assert slots["thematique"] == "social_sante" and slots["besoin"] == CAF


BOX = "ma box internet ne capte plus depuis l'orage, comment je la remets en marche"


def test_a_question_without_an_answer_then_rdv_keeps_its_topic_and_its_words(actions_db):
    # The NLU had no answer for it but named its thematique (bot/nlu/question_topic.py).
    question = user(BOX, "no_answer", ranking=[("no_answer", 0.8), ("faq_email", 0.1)])
    question["parse_data"]["question_topic"] = "navigation_sur_internet"
    slots = start_triage(question, user("je veux un rendez-vous", "book_appointment"))
    assert slots["thematique"] == "navigation_sur_internet" and slots["besoin"] == BOX


def test_an_appointment_for_a_need_is_not_asked_the_need_again(actions_db):
    request = user(
        PHONE_NEED,
        "book_appointment",
        [entity(PHONE_NEED, "téléphone")],
        ranking=[("book_appointment", 0.7), ("faq_prendre_en_main_du_materiel", 0.2)],
    )
    slots = start_triage(request)
    assert slots["besoin"] == PHONE_NEED
    assert slots["thematique"] == "prendre_en_main_du_materiel"
    assert slots["materiel"] == "telephone"
    slots = start_triage(user("je veux un rdv", "book_appointment"))
    assert slots["besoin"] is None and slots["thematique"] is None  # asked
