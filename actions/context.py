"""What every action needs: a database session and the resident of the conversation."""
from __future__ import annotations

from rasa_sdk import Tracker

from bot.residents import Resident, resident_for_conversation


def resident_of(session, tracker: Tracker) -> Resident:
    return resident_for_conversation(session, tracker.sender_id)


def latest_intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def _last_help_question(tracker: Tracker) -> tuple[str, dict] | None:
    """(intent, user event) of the latest help question the bot understood."""
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        name = ((event.get("parse_data") or {}).get("intent") or {}).get("name") or ""
        if name.startswith("faq_") or name == "urgence":
            return name, event
    return None


def last_faq_thematique(tracker: Tracker) -> tuple[str | None, str | None]:
    """The thematique and text of the latest help question the bot understood."""
    from bot.classification import thematique_of

    found = _last_help_question(tracker)
    if found is None:
        return None, None
    name, event = found
    try:
        return thematique_of(name), event.get("text")
    except KeyError:
        return None, event.get("text")


def materiel_named(tracker: Tracker) -> str | None:
    """The Coop `materiel` of the device the latest help question named ("mon iphone" ->
    telephone), from the NLU's `appareil` entity; None when it named none."""
    from bot.triage.answers import SKIPPED, parse_materiel

    found = _last_help_question(tracker)
    entities = ((found[1].get("parse_data") or {}).get("entities") or []) if found else []
    for entity in entities:
        if entity.get("entity") == "appareil":
            materiel = parse_materiel(str(entity.get("value") or ""))
            if materiel not in (None, SKIPPED, "aucun"):
                return materiel
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
