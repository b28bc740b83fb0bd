"""The triage form: one short question at a time, answered by number or in words."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import (
    action_engine,
    action_settings,
    booking_request,
    last_faq_thematique,
    materiel_named,
    resident_of,
    thematique_named,
    triage_messages,
)
from bot.db import session_scope
from bot.phones import to_e164
from bot.texts import triage as texts
from bot.triage.answers import (
    SKIPPED,
    is_skip,
    need_named,
    parse_accessibility,
    parse_first_name,
    parse_materiel,
    parse_preferred_time,
    parse_yes_no,
    plain,
    stated_has_email,
    stated_has_login,
)

STOP_WORDS = ("stop", "arret", "arreter", "annuler", "laisse tomber", "laissez tomber", "j'arrete")
KNOWN = "connu"


def wants_to_stop(text: str) -> bool:
    value = plain(text)
    return any(value == w or value.startswith(w + " ") for w in STOP_WORDS)


HUMAN_WORDS = ("conseiller", "conseillere", "un humain", "une personne", "quelqu'un de la mairie")


def asks_for_a_human(text: str) -> bool:
    """'Je veux parler à un conseiller' typed (or the widget's button) during the questions."""
    value = plain(text)
    return (
        len(value) < 80
        and any(w in value for w in HUMAN_WORDS)
        and any(v in value for v in ("parler", "veux", "voudrais", "besoin", "appeler", "voir"))
    )


class ActionStartTriage(Action):
    """Opens the triage: fills in what is already known, so it is not asked again: the need
    and topic of the appointment request ("un rdv pour mes mails") or of the latest help
    question, the device named, and the e-mail or login the person says they lack."""

    def name(self) -> str:
        return "action_start_triage"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        dispatcher.utter_message(response="utter_triage_intro")
        events = [
            SlotSet(name, None)
            for name in (
                "besoin",
                "materiel",
                "has_email",
                "has_login",
                "neighbourhood",
                "preferred_time",
                "accessibility",
                "slot_choice",
                "offered_slots",
                "route",
                "triage_stopped",
            )
        ]
        thematique, text = last_faq_thematique(tracker)
        request = booking_request(tracker)
        if request is not None and need_named(request.get("text") or ""):
            # "je voudrais un rendez-vous pour apprendre à me servir de mon téléphone"
            thematique = thematique_named(request.get("parse_data") or {}) or thematique
            text = request.get("text")
            events.append(SlotSet("besoin", text))
        elif thematique:
            events.append(SlotSet("besoin", text or KNOWN))
        events.append(SlotSet("thematique", thematique))
        materiel = materiel_named(tracker)
        if materiel:  # "mon iphone ne s'allume plus": the device is not asked again
            events.append(SlotSet("materiel", materiel))
        said = " ".join(event.get("text") or "" for event in triage_messages(tracker))
        for slot, value in (("has_email", stated_has_email(said)), ("has_login", stated_has_login(said))):
            if value:  # "j'ai pas d'adresse mail": recorded as no, not asked
                events.append(SlotSet(slot, value))
        with session_scope(action_engine()) as session:
            resident = resident_of(session, tracker)
            if resident.phone_e164:
                events.append(SlotSet("contact_phone", KNOWN))
            if resident.first_name:
                events.append(SlotSet("first_name", resident.first_name))
        return events


class ValidateTriageForm(FormValidationAction):
    def name(self) -> str:
        return "validate_triage_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> list[str]:
        if tracker.get_slot("triage_stopped"):
            return []
        return domain_slots

    async def run(self, dispatcher, tracker, domain):
        text = tracker.latest_message.get("text") or ""
        requested = tracker.get_slot("requested_slot")
        if requested and requested != "besoin" and asks_for_a_human(text):
            dispatcher.utter_message(response="utter_triage_leads_to_a_conseiller")
            return [SlotSet(requested, None)]
        return await super().run(dispatcher, tracker, domain)

    def _stop_or(self, value: Any, dispatcher, slot: str, parsed: Any) -> dict:
        if isinstance(value, str) and wants_to_stop(value):
            return {slot: SKIPPED, "triage_stopped": True}
        if parsed is None:
            dispatcher.utter_message(response="utter_not_understood_choice")
        return {slot: parsed}

    def validate_besoin(self, value, dispatcher, tracker, domain) -> dict:
        if value is None:
            return {"besoin": None}
        if wants_to_stop(value):
            return {"besoin": SKIPPED, "triage_stopped": True}
        if is_skip(value):
            return {"besoin": SKIPPED}
        thematique, _ = last_faq_thematique(tracker)
        return {"besoin": value.strip()[:500], "thematique": tracker.get_slot("thematique") or thematique}

    def validate_materiel(self, value, dispatcher, tracker, domain) -> dict:
        if value is None:
            return {"materiel": None}
        return self._stop_or(value, dispatcher, "materiel", parse_materiel(value))

    def validate_has_email(self, value, dispatcher, tracker, domain) -> dict:
        if value is None:
            return {"has_email": None}
        return self._stop_or(value, dispatcher, "has_email", parse_yes_no(value))

    def validate_has_login(self, value, dispatcher, tracker, domain) -> dict:
        if value is None:
            return {"has_login": None}
        return self._stop_or(value, dispatcher, "has_login", parse_yes_no(value))

    def validate_neighbourhood(self, value, dispatcher, tracker, domain) -> dict:
        if value is None:
            return {"neighbourhood": None}
        if wants_to_stop(value):
            return {"neighbourhood": SKIPPED, "triage_stopped": True}
        return {"neighbourhood": SKIPPED if is_skip(value) else value.strip()[:120]}

    def validate_preferred_time(self, value, dispatcher, tracker, domain) -> dict:
        if value is None:
            return {"preferred_time": None}
        return self._stop_or(value, dispatcher, "preferred_time", parse_preferred_time(value))

    def validate_first_name(self, value, dispatcher, tracker, domain) -> dict:
        if value is None:
            return {"first_name": None}
        parsed = parse_first_name(value)
        if parsed is None and not wants_to_stop(value):
            dispatcher.utter_message(text=texts.first_name_only_text())
            return {"first_name": None}
        return self._stop_or(value, dispatcher, "first_name", parsed)

    def validate_accessibility(self, value, dispatcher, tracker, domain) -> dict:
        if value is None:
            return {"accessibility": None}
        return self._stop_or(value, dispatcher, "accessibility", parse_accessibility(value))

    def validate_contact_phone(self, value, dispatcher, tracker, domain) -> dict:
        if value is None:
            return {"contact_phone": None}
        if value == KNOWN:
            return {"contact_phone": KNOWN}
        if wants_to_stop(value):
            return {"contact_phone": SKIPPED, "triage_stopped": True}
        if is_skip(value):
            return {"contact_phone": SKIPPED}
        e164 = to_e164(value, action_settings().sms_default_region)
        if e164 is None:
            dispatcher.utter_message(text=texts.bad_phone_text())
            return {"contact_phone": None}
        with session_scope(action_engine()) as session:
            resident = resident_of(session, tracker)
            resident.phone_e164 = e164
            from bot.privacy.hashing import phone_hash

            resident.phone_hash = phone_hash(e164, action_settings().hash_key)
        return {"contact_phone": KNOWN}
