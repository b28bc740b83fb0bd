"""SUPPRIMER MES DONNEES: confirm, then erase what the service holds about the person.

The form erasure_form asks "Répondez OUI pour confirmer"; only a yes erases,
any other answer cancels. The erasure itself is bot/data_rights/erasure.py; the
tracker store then deletes the stored conversation (bot/rasa_stores.py).
"""

from __future__ import annotations

import logging
import re

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import action_engine, action_settings
from bot.data_rights.erasure import ERASED_VALUE, ERASURE_SLOT, erase_conversation
from bot.db import session_scope
from bot.logging_setup import install_log_redaction
from bot.triage.answers import plain

log = logging.getLogger(__name__)
# The action server's logs, whatever started it.
install_log_redaction(action_settings().hash_key, action_settings().sms_default_region)

# Erasing cannot be undone: only a clear yes in words confirms (not "1", not "oui mais non").
CONFIRM_WORDS = (
    "oui",
    "ouais",
    "ok",
    "okay",
    "d'accord",
    "daccord",
    "dacc",
    "confirme",
    "confirmer",
    "je confirme",
    "yes",
    "affirmatif",
    "bien sur",
    "vas-y",
    "allez-y",
    "effacez",
    "supprimez",
)
REFUSE_WORDS = ("non", "nan", "pas", "jamais", "attendez", "annule", "annuler", "stop")


def is_confirmation(text: str) -> bool:
    value = plain(text or "")
    if any(re.search(rf"\b{re.escape(word)}\b", value) for word in REFUSE_WORDS):
        return False
    return any(re.search(rf"\b{re.escape(word)}\b", value) for word in CONFIRM_WORDS)


class ValidateErasureForm(FormValidationAction):
    def name(self) -> str:
        return "validate_erasure_form"

    def validate_erasure_confirmation(self, value, dispatcher, tracker, domain) -> dict:
        if value is None:
            return {ERASURE_SLOT: None}
        return {ERASURE_SLOT: "oui" if is_confirmation(str(value)) else "non"}


class ActionEraseMyData(Action):
    def name(self) -> str:
        return "action_erase_my_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        if tracker.get_slot(ERASURE_SLOT) != "oui":
            dispatcher.utter_message(response="utter_erasure_cancelled")
            return [SlotSet(ERASURE_SLOT, None)]
        with session_scope(action_engine()) as session:
            report = erase_conversation(session, tracker.sender_id)
        log.info("erasure at the resident's request: %s", report.as_dict())
        dispatcher.utter_message(response="utter_erasure_done")
        # Tells the tracker store to delete this conversation rather than save it.
        return [SlotSet(ERASURE_SLOT, ERASED_VALUE)]
