"""Rasa's NLG on the database: Rasa's own response machinery (channel variations, {slots},
buttons) on the answers table, the edit served at the next response, the domain's response
when the database has none or is down."""

from __future__ import annotations

import asyncio

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from bot.answers import store
from bot.answers.nlg import DatabaseNaturalLanguageGenerator
from bot.db import session_scope
from bot.settings import ROOT, reload_settings


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "bot" / "domain"))


def generate(nlg, domain, name: str, channel: str = "rest", slots: dict | None = None) -> dict | None:
    tracker = DialogueStateTracker("test", domain.slots)
    for slot, value in (slots or {}).items():
        tracker.update(SlotSet(slot, value))
    return asyncio.run(nlg.generate(name, tracker, channel))


def edit(engine, key: str, texts: list[str]) -> None:
    with session_scope(engine) as session:
        store.edit(session, key, texts, "test", fold_accents=True)


def test_an_edit_is_served_by_the_same_process_at_the_next_response(seeded_engine, domain):
    nlg = DatabaseNaturalLanguageGenerator(domain=domain)
    assert generate(nlg, domain, "utter_ask_human")["text"] == domain.responses["utter_ask_human"][0]["text"]
    edit(seeded_engine, "utter_ask_human", ["Écrivez RDV : un conseiller vous aide."])
    assert generate(nlg, domain, "utter_ask_human")["text"] == "Écrivez RDV : un conseiller vous aide."


def test_channel_variations_buttons_and_slots_work_as_in_rasa(seeded_engine, domain):
    nlg = DatabaseNaturalLanguageGenerator(domain=domain)
    with session_scope(seeded_engine) as session:
        texts = [v["text"] for v in store.get(session, "utter_greet").variations]
    edit(seeded_engine, "utter_greet", [texts[0], "Bonjour {first_name} ! Écrivez votre question, ou RDV."])
    assert (
        generate(nlg, domain, "utter_greet", "twilio_sms", {"first_name": "Marie"})["text"]
        == "Bonjour Marie ! Écrivez votre question, ou RDV."
    )
    assert generate(nlg, domain, "utter_greet", "rest")["text"] == texts[0]
    buttons = generate(nlg, domain, "utter_ask_has_email")["buttons"]
    assert [b["title"] for b in buttons] == ["Oui", "Non", "Je ne sais pas"]


def test_rasa_sets_the_models_responses_and_the_database_still_wins(seeded_engine, domain):
    nlg = DatabaseNaturalLanguageGenerator(domain=Domain.empty())  # as Rasa's Agent creates it
    nlg.responses = domain.responses  # what Agent.load_model does
    edit(seeded_engine, "utter_goodbye", ["Au revoir, à bientôt !"])
    assert generate(nlg, domain, "utter_goodbye")["text"] == "Au revoir, à bientôt !"
    assert generate(nlg, domain, "utter_thank")["text"] == domain.responses["utter_thank"][0]["text"]


def test_a_response_the_database_does_not_hold_comes_from_the_domain(desk_engine, domain):
    nlg = DatabaseNaturalLanguageGenerator(domain=domain)  # migrated, never seeded
    assert generate(nlg, domain, "utter_goodbye")["text"] == domain.responses["utter_goodbye"][0]["text"]


def test_with_the_database_down_the_turn_gets_the_domains_response(monkeypatch, domain):
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:1/nothing")
    reload_settings()
    try:
        nlg = DatabaseNaturalLanguageGenerator(domain=domain)
        assert generate(nlg, domain, "utter_goodbye")["text"] == domain.responses["utter_goodbye"][0]["text"]
        assert generate(nlg, domain, "utter_goodbye")["text"]  # and again, while it waits to retry
    finally:
        monkeypatch.undo()
        reload_settings()


def test_the_last_answers_read_are_kept_when_the_database_goes_down(seeded_engine, domain, monkeypatch):
    nlg = DatabaseNaturalLanguageGenerator(domain=domain)
    edit(seeded_engine, "utter_goodbye", ["Au revoir, à bientôt !"])
    assert generate(nlg, domain, "utter_goodbye")["text"] == "Au revoir, à bientôt !"
    broken = nlg._engine_now()

    def down(*_args, **_kwargs):
        raise OSError("database down")

    monkeypatch.setattr(broken, "connect", down)
    assert generate(nlg, domain, "utter_goodbye")["text"] == "Au revoir, à bientôt !"
