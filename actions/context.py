"""What every action needs: the settings, a database session and the resident of the conversation."""

from __future__ import annotations

from rasa_sdk import Tracker
from sqlalchemy.engine import Engine

from bot.db import engine_for
from bot.residents import Resident, resident_for_conversation
from bot.settings import Settings, get_settings


def action_settings() -> Settings:
    """The settings of the action server. Each action's `run` is an entry point (where a turn enters):
    the actions read the settings here only, and pass the values down as arguments."""
    return get_settings()


def action_engine() -> Engine:
    """The database of DATABASE_URL, for the action that runs (one engine per URL, made once)."""
    return engine_for(action_settings().database_url)


def resident_of(session, tracker: Tracker) -> Resident:
    return resident_for_conversation(session, tracker.sender_id)


def latest_intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def _last_help_question(tracker: Tracker) -> tuple[str, dict] | None:
    """(intent, user event) of the latest help question the bot understood, or the latest it
    had no answer for (`no_answer`: the conseiller is offered, and the triage still knows its topic)."""
    from bot.classification import QUESTIONS_WITHOUT_AN_ANSWER

    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        name = ((event.get("parse_data") or {}).get("intent") or {}).get("name") or ""
        if name.startswith("faq_") or name == "urgence" or name in QUESTIONS_WITHOUT_AN_ANSWER:
            return name, event
    return None


def last_faq_thematique(tracker: Tracker) -> tuple[str | None, str | None]:
    """The thematique and text of the latest help question (the classification contract's
    thematique: a question without an answer has the one the NLU gave it)."""
    from bot.classification import classify_parse

    found = _last_help_question(tracker)
    if found is None:
        return None, None
    name, event = found
    try:
        return classify_parse(event.get("parse_data") or {}).thematique, event.get("text")
    except KeyError:
        return None, event.get("text")


REQUEST_INTENTS = ("book_appointment", "ask_human")


def booking_request(tracker: Tracker) -> dict | None:
    """The user event that opened the triage, when it asked for an appointment or a person."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            name = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            return event if name in REQUEST_INTENTS else None
    return None


def triage_messages(tracker: Tracker) -> list[dict]:
    """The user events whose words pre-fill the triage: the appointment request itself,
    then the latest help question."""
    messages = []
    request = booking_request(tracker)
    if request is not None:
        messages.append(request)
    found = _last_help_question(tracker)
    if found is not None and found[1] is not request:
        messages.append(found[1])
    return messages


def materiel_named(tracker: Tracker) -> str | None:
    """The Coop `materiel` of the device the appointment request or the latest help question
    named ("mon iphone" -> telephone), from the NLU's `appareil` entity; None when none was
    named. A device said to be lacking ("j'ai pas d'ordinateur") is never recorded."""
    from bot.triage.answers import SKIPPED, is_negated, parse_materiel

    for event in triage_messages(tracker):
        text = event.get("text") or ""
        for entity in (event.get("parse_data") or {}).get("entities") or []:
            if entity.get("entity") != "appareil":
                continue
            start = entity.get("start")
            if isinstance(start, int) and is_negated(text, start):
                continue
            materiel = parse_materiel(str(entity.get("value") or ""))
            if materiel not in (None, SKIPPED, "aucun"):
                return materiel
    return None


def thematique_named(parse_data: dict) -> str | None:
    """The topic an appointment request names ("un rdv pour mes mails" -> email): the answer
    classifier's `request_topic` (bot/nlu/request_topic.py, read by bot.classification.topic_named)
    when the model wrote one; with an older model, its best answer candidate, else its best help intent."""
    from bot.classification import thematique_of, topic_named
    from bot.nlu.decision import DECISION_KEY

    if "request_topic" in parse_data:
        return topic_named(parse_data)

    names = [c.get("answer") for c in ((parse_data.get(DECISION_KEY) or {}).get("candidates") or [])]
    names += [r.get("name") for r in parse_data.get("intent_ranking") or []]
    for name in names:
        if name and (name.startswith("faq_") or name.startswith("urgence")):
            try:
                return thematique_of(name)
            except KeyError:
                continue
    return None


def bot_answers(tracker: Tracker, limit: int = 5) -> list[str]:
    """The answers the bot already gave (response names), for the ticket."""
    answers = []
    for event in tracker.events:
        if event.get("event") == "bot":
            name = (event.get("metadata") or {}).get("utter_action") or ""
            if name.startswith(("utter_faq_", "utter_urgence")):
                answers.append(name.replace("utter_", "", 1))
    return answers[-limit:]
