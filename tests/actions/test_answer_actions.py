"""The three outcomes of a help question, carried out by the answer actions.

Each test hands the action a message whose NLU decision is written in it (the
`answer_decision` property of bot/nlu/decision.py), so what is tested is the dialogue,
whatever the classifier of the day decides for a given sentence.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ActionAnswer, ActionNextAnswer, choice_payload
from bot.answer_titles import MAX_TITLE_LENGTH, titles
from bot.nlu.decision import DECISION_KEY
from bot.settings import ROOT
from bot.sms.choices import render
from bot.sms.encoding import count_segments, normalise
from bot.yaml_files import load_yaml

SPAMS, FULL, PASSWORD = "faq_email/spams", "faq_email/boite_pleine", "faq_email/mot_de_passe_oublie"


def run_coroutine(coroutine):
    """asyncio.run in a thread of its own: safe even when a browser test left a loop running here."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def message(intent: str, decision: dict | None = None, text: str = "une question", entities=None) -> dict:
    parse = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities or []}
    if decision is not None:
        parse[DECISION_KEY] = decision
    return parse


def decision(kind: str, answer: str | None, *keys: str) -> dict:
    return {
        "decision": kind,
        "answer": answer,
        "candidates": [{"answer": k, "confidence": 0.9 - i / 10} for i, k in enumerate(keys)],
    }


def run(action, latest: dict, slots: dict | None = None) -> tuple[list[dict], dict]:
    tracker = Tracker(
        "test",
        slots or {},
        latest,
        [{"event": "user", "text": latest.get("text"), "parse_data": latest}],
        False,
        None,
        {},
        "action_listen",
    )
    dispatcher = CollectingDispatcher()
    events = run_coroutine(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_a_confident_decision_gets_the_answer_and_keeps_the_others_for_autre_chose():
    messages, slots = run(ActionAnswer(), message("faq_email", decision("answer", SPAMS, SPAMS, FULL, PASSWORD)))
    assert [m["response"] for m in messages] == ["utter_faq_email/spams"]
    assert slots["answer_candidates"] == [FULL, PASSWORD]


def test_an_urgent_answer_is_given_at_once_with_the_offer_of_a_conseiller():
    messages, _ = run(
        ActionAnswer(),
        message(
            "urgence", decision("answer", "urgence/carte_bancaire", "urgence/carte_bancaire", "urgence/faux_conseiller")
        ),
    )
    assert [m["response"] for m in messages] == ["utter_urgence/carte_bancaire", "utter_urgence_offer_conseiller"]
    assert not messages[0].get("buttons")


def test_a_close_call_asks_one_numbered_question_between_the_candidates():
    messages, slots = run(ActionAnswer(), message("faq_email", decision("clarify", SPAMS, SPAMS, FULL, PASSWORD)))
    assert len(messages) == 1 and messages[0]["response"] == "utter_clarify"
    buttons = messages[0]["buttons"]
    assert [b["title"] for b in buttons] == [titles()[SPAMS], titles()[FULL], titles()[PASSWORD], "Autre chose"]
    assert buttons[1]["payload"] == '/choose_answer{"answer_key":"faq_email/boite_pleine"}'
    assert buttons[-1]["payload"] == "/not_my_question"
    assert slots["answer_candidates"] == []


def test_choosing_the_second_gives_its_answer():
    chosen = message("choose_answer", text=choice_payload(FULL), entities=[{"entity": "answer_key", "value": FULL}])
    messages, _ = run(ActionAnswer(), chosen)
    assert [m["response"] for m in messages] == ["utter_faq_email/boite_pleine"]


def test_a_made_up_choice_gets_no_answer_of_its_own():
    chosen = message("choose_answer", entities=[{"entity": "answer_key", "value": "faq_email/../../etc"}])
    messages, _ = run(ActionAnswer(), chosen)
    assert [m["response"] for m in messages] == ["utter_ask_rephrase"]


def test_no_fitting_answer_is_said_plainly_with_a_conseiller():
    messages, slots = run(ActionAnswer(), message("faq_email", decision("decline", None)))
    assert [m["response"] for m in messages] == ["utter_no_answer"]
    assert slots["answer_candidates"] == []
    domain = load_yaml((ROOT / "bot" / "domain" / "answers.yml").read_text(encoding="utf-8"))
    assert domain["responses"]["utter_no_answer"][0]["text"] == (
        "Je n'ai pas de réponse à cette question. Un conseiller peut vous aider : écrivez RDV."
    )


def test_the_decision_derived_from_rasa_parse_is_carried_out_too():
    parse = message("faq_email")
    parse["response_selector"] = {
        "faq_email": {
            "ranking": [
                {"intent_response_key": SPAMS, "confidence": 0.5},
                {"intent_response_key": FULL, "confidence": 0.4},
            ]
        }
    }
    messages, _ = run(ActionAnswer(), parse)
    assert messages[0]["response"] == "utter_clarify"  # 0.9 x 0.5 < 0.6: close call


def test_autre_chose_after_an_answer_gives_the_next_candidates_then_a_conseiller():
    other = message("not_my_question", text="autre chose")
    messages, slots = run(ActionNextAnswer(), other, {"answer_candidates": [FULL, PASSWORD]})
    assert messages[0]["response"] == "utter_clarify_next"
    assert [b["title"] for b in messages[0]["buttons"]] == [titles()[FULL], titles()[PASSWORD], "Autre chose"]
    assert slots["answer_candidates"] == []
    messages, _ = run(ActionNextAnswer(), other, {"answer_candidates": []})
    assert [m["response"] for m in messages] == ["utter_no_other_answer"]


def test_a_plain_no_is_not_my_question_but_no_thanks_is_a_polite_close():
    messages, _ = run(ActionNextAnswer(), message("deny", text="non"), {"answer_candidates": [FULL]})
    assert messages[0]["response"] == "utter_clarify_next"
    messages, _ = run(ActionNextAnswer(), message("deny", text="non merci"), {"answer_candidates": [FULL]})
    assert [m["response"] for m in messages] == ["utter_answer_ok"]


def domain_answer_keys() -> set[str]:
    keys = set()
    for path in (ROOT / "bot" / "domain").glob("*.yml"):
        for name in (load_yaml(path.read_text(encoding="utf-8")) or {}).get("responses") or {}:
            if name.startswith("utter_") and "/" in name:
                keys.add(name[len("utter_") :])
    return keys


def test_every_answer_has_a_short_title_and_every_title_an_answer():
    assert set(titles()) == domain_answer_keys()
    too_long = {k: t for k, t in titles().items() if len(t) > MAX_TITLE_LENGTH or not t.strip()}
    assert not too_long


def test_the_clarifying_question_fits_two_sms_with_the_longest_titles():
    longest = sorted(titles(), key=lambda k: len(titles()[k]), reverse=True)[:3]
    messages, _ = run(ActionAnswer(), message("faq_email", decision("clarify", longest[0], *longest)))
    intro = load_yaml((ROOT / "bot" / "domain" / "answers.yml").read_text(encoding="utf-8"))
    text = intro["responses"]["utter_clarify"][0]["text"]
    rendered = render(text, messages[0]["buttons"])
    assert rendered.text.splitlines()[1].startswith("1. ") and "4. Autre chose" in rendered.text
    assert rendered.choices["4"] == "/not_my_question"
    assert count_segments(normalise(rendered.text, True)).count <= 2


def test_a_close_call_between_urgent_answers_only_gets_the_best_at_once():
    close = decision("clarify", "urgence/faux_conseiller", "urgence/faux_conseiller", "urgence/carte_bancaire")
    messages, slots = run(ActionAnswer(), message("urgence", close))
    assert [m["response"] for m in messages] == ["utter_urgence/faux_conseiller", "utter_urgence_offer_conseiller"]
    mixed = decision("clarify", "urgence/compte_pirate", "urgence/compte_pirate", "faq_email/mot_de_passe_oublie")
    messages, _ = run(ActionAnswer(), message("urgence", mixed))
    assert messages[0]["response"] == "utter_clarify"  # urgence or not: the resident says which


def test_a_message_below_the_fallback_threshold_is_clarified_when_two_answers_are_close():
    from actions.fallback import ActionFallback

    low = message("nlu_fallback", decision("clarify", SPAMS, SPAMS, FULL))
    messages, _ = run(ActionFallback(), low)
    assert messages[0]["response"] == "utter_clarify"
    messages, _ = run(ActionFallback(), message("nlu_fallback", decision("decline", None)))
    assert [m["response"] for m in messages] == ["utter_ask_rephrase"]


def test_a_number_typed_after_the_question_is_that_choice_in_any_channel():
    from actions.answers import choice_buttons
    from actions.fallback import ActionFallback

    question = {
        "event": "bot",
        "text": "Votre question porte sur :",
        "data": {"buttons": choice_buttons([SPAMS, FULL])},
    }
    typed = message("nlu_fallback", text="2")
    tracker = Tracker(
        "test",
        {},
        typed,
        [question, {"event": "user", "text": "2", "parse_data": typed}],
        False,
        None,
        {},
        "action_listen",
    )
    dispatcher = CollectingDispatcher()
    run_coroutine(ActionFallback().run(dispatcher, tracker, {}))
    assert [m["response"] for m in dispatcher.messages] == ["utter_faq_email/boite_pleine"]
    tracker.events[-1]["text"] = tracker.latest_message["text"] = "3"
    dispatcher = CollectingDispatcher()
    run_coroutine(ActionFallback().run(dispatcher, tracker, {}))
    assert [m["response"] for m in dispatcher.messages] == ["utter_no_other_answer"]
    no_question = Tracker(
        "test",
        {},
        typed,
        [{"event": "bot", "text": "Bonjour"}, {"event": "user", "parse_data": typed}],
        False,
        None,
        {},
        "action_listen",
    )
    dispatcher = CollectingDispatcher()
    run_coroutine(ActionFallback().run(dispatcher, no_question, {}))
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_rephrase"]
