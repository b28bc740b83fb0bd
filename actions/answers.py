"""A help question gets one of three outcomes: the answer, one short question, or a conseiller.

The NLU says which (bot/nlu/decision.py: `decide(parse_data)`); this module only carries
it out, so a wrong answer is never given with confidence when the NLU is unsure:

- answer: the answer's response `utter_<key>` (an urgence answer is followed at once by
  the offer of a conseiller, as before; a close call between urgence answers only is
  answered with the best one, never held up by a question);
- clarify: "Votre question porte sur :" with one button per candidate (its title,
  data/answers/titles.yml) and "Autre chose". By SMS the buttons become numbered lines
  and "2" is read back as the button's payload (bot/sms/choices.py); the widget shows
  quick replies. A button sends `/choose_answer{"answer_key": "..."}`;
- decline: "Je n'ai pas de réponse à cette question", and a conseiller (RDV).

After any of them, "autre chose", "ce n'est pas ma question" or "non" (rules in
data/rules/answers.yml) gives the candidates not offered yet, then a conseiller.

Learning from residents (actions/review.py, bot/review/): every outcome is counted per week;
a declined message, a small margin, "autre chose" after the question and "Non" to
"Cette réponse vous aide ?" (asked after some answers) go to the desk's review inbox.
"""

from __future__ import annotations

import json
import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import review
from bot.answer_titles import is_known_answer, title_of
from bot.nlu.decision import ANSWER, CLARIFY, MAX_CANDIDATES, Decision, decide
from bot.review import feedback
from bot.review.models import ReviewReason, TurnOutcome
from bot.texts.clarify import other_choice_title
from bot.triage.answers import number_choice, plain

CANDIDATES_SLOT = "answer_candidates"
CHOOSE_INTENT = "choose_answer"
ANSWER_ENTITY = "answer_key"
OTHER_PAYLOAD = "/not_my_question"

# "non merci", "non ça va": a polite close after an answer, not "that is not my question".
POLITE_NO = re.compile(r"\b(merci|ca va|ca ira|c'est bon|c bon|pas besoin)\b")


def choice_payload(key: str) -> str:
    return "/" + CHOOSE_INTENT + json.dumps({ANSWER_ENTITY: key}, separators=(",", ":"))


def choice_buttons(keys: list[str]) -> list[dict]:
    """One button per answer (its title), then "Autre chose"."""
    buttons = [{"title": title_of(key), "payload": choice_payload(key)} for key in keys]
    return buttons + [{"title": other_choice_title(), "payload": OTHER_PAYLOAD}]


def give_answer(dispatcher: CollectingDispatcher, key: str) -> None:
    dispatcher.utter_message(response=f"utter_{key}")
    if key.startswith("urgence/"):
        dispatcher.utter_message(response="utter_urgence_offer_conseiller")


def ask_between(dispatcher: CollectingDispatcher, keys: list[str], response: str = "utter_clarify") -> None:
    dispatcher.utter_message(response=response, buttons=choice_buttons(keys[:MAX_CANDIDATES]))


def clarify_if_close(dispatcher: CollectingDispatcher, parse_data: dict) -> list | None:
    """For a message below the fallback threshold: the clarifying question when the NLU
    found two or three close answers (the events to return), else None."""
    decision = decide(parse_data)
    candidates = [key for key, _ in decision.candidates if is_known_answer(key)]
    if decision.kind != CLARIFY or len(candidates) < 2:
        return None
    ask_between(dispatcher, candidates)
    return [SlotSet(CANDIDATES_SLOT, [])]


def typed_choice(dispatcher: CollectingDispatcher, tracker: Tracker) -> list | None:
    """A number typed after the clarifying question ("2" in the widget or the shell, where
    no channel maps it back to a button as the SMS channel does): that button's choice.
    None when the message is not a number or the last bot message offered no answers."""
    number = number_choice(tracker.latest_message.get("text") or "")
    if number is None:
        return None
    buttons, users = [], 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users += 1  # the first one is this very message
            if users > 1:
                break
        elif event.get("event") == "bot" and users:
            buttons = (event.get("data") or {}).get("buttons") or []
            break
    payloads = [b.get("payload") or "" for b in buttons]
    if payloads == [feedback.YES_PAYLOAD, feedback.NO_PAYLOAD] and number in (1, 2):
        # "Cette réponse vous aide ? 1 Oui 2 Non" answered with a typed number
        if number == 1:
            return review.feedback_yes(dispatcher, tracker)
        return review.feedback_no(tracker) + next_candidates(dispatcher, tracker)
    if not payloads or not all(p.startswith(("/" + CHOOSE_INTENT, OTHER_PAYLOAD)) for p in payloads):
        return None
    if not 1 <= number <= len(payloads):
        return None
    payload = payloads[number - 1]
    if payload == OTHER_PAYLOAD:
        review.capture_previous_question(tracker, ReviewReason.CLARIFY_OTHER)
        remaining = [k for k in (tracker.get_slot(CANDIDATES_SLOT) or []) if is_known_answer(k)]
        if remaining:
            ask_between(dispatcher, remaining, "utter_clarify_next")
        else:
            dispatcher.utter_message(response="utter_no_other_answer")
        return [SlotSet(CANDIDATES_SLOT, [])]
    key = json.loads(payload[len("/" + CHOOSE_INTENT) :] or "{}").get(ANSWER_ENTITY)
    if not is_known_answer(key):
        return None
    give_answer(dispatcher, key)
    return [SlotSet(CANDIDATES_SLOT, [])] + review.after_answer(dispatcher, tracker, key, None)


def chosen_answer(tracker: Tracker) -> str | None:
    """The answer key a button of the clarifying question sent, if it names a real answer."""
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == ANSWER_ENTITY and is_known_answer(str(entity.get("value") or "")):
            return str(entity["value"])
    return None


class ActionAnswer(Action):
    """A help question (faq_*, urgence) or a choice among the answers offered."""

    def name(self) -> str:
        return "action_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == CHOOSE_INTENT:
            key = chosen_answer(tracker)
            if key is None:
                dispatcher.utter_message(response="utter_ask_rephrase")
                return [SlotSet(CANDIDATES_SLOT, [])]
            give_answer(dispatcher, key)
            return [SlotSet(CANDIDATES_SLOT, [])] + review.after_answer(dispatcher, tracker, key, None)

        decision = decide(tracker.latest_message)
        candidates = [key for key, _ in decision.candidates if is_known_answer(key)]
        if decision.kind == CLARIFY and candidates and all(k.startswith("urgence/") for k in candidates):
            # A scam in progress is not held up by a question between two urgent answers:
            # the best one's protective steps come at once.
            decision = Decision(ANSWER, candidates[0], decision.candidates)
        no_feedback = SlotSet(feedback.PENDING_SLOT, None)
        if decision.kind == ANSWER and is_known_answer(decision.answer):
            give_answer(dispatcher, decision.answer)
            review.record_outcome(TurnOutcome.ANSWER)
            return [SlotSet(CANDIDATES_SLOT, [k for k in candidates if k != decision.answer])] + review.after_answer(
                dispatcher, tracker, decision.answer, decision
            )
        if decision.kind == CLARIFY and candidates:
            ask_between(dispatcher, candidates)
            review.record_outcome(TurnOutcome.CLARIFY)
            return [SlotSet(CANDIDATES_SLOT, []), no_feedback]
        dispatcher.utter_message(response="utter_no_answer")
        review.record_outcome(TurnOutcome.DECLINE)
        review.capture_latest(tracker, ReviewReason.DECLINED, decision)
        return [SlotSet(CANDIDATES_SLOT, []), no_feedback]


def offered_choices(tracker: Tracker) -> bool:
    """The bot's last message before this one was the clarifying question (answer buttons)."""
    users = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users += 1  # the first one is this very message
            if users > 1:
                return False
        elif event.get("event") == "bot" and users:
            payloads = [b.get("payload") or "" for b in (event.get("data") or {}).get("buttons") or []]
            return OTHER_PAYLOAD in payloads
    return False


def next_candidates(dispatcher: CollectingDispatcher, tracker: Tracker) -> list:
    """The candidates not offered yet, as the same numbered question, else a conseiller."""
    remaining = [k for k in (tracker.get_slot(CANDIDATES_SLOT) or []) if is_known_answer(k)]
    if remaining:  # asked, not answered: these candidates were not good enough to answer
        ask_between(dispatcher, remaining, "utter_clarify_next")
    else:
        dispatcher.utter_message(response="utter_no_other_answer")
    return [SlotSet(CANDIDATES_SLOT, [])]


class ActionNextAnswer(Action):
    """ "Autre chose" / "non" after an answer: the candidates not offered yet, then a conseiller."""

    def name(self) -> str:
        return "action_next_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "deny" and POLITE_NO.search(plain(tracker.latest_message.get("text") or "")):
            dispatcher.utter_message(response="utter_answer_ok")
            return [SlotSet(CANDIDATES_SLOT, []), SlotSet(feedback.PENDING_SLOT, None)]
        events = []
        if intent == "deny":  # a typed "non" to "Cette réponse vous aide ?"
            events = review.feedback_no(tracker)
        elif intent == "not_my_question" and offered_choices(tracker):
            review.capture_previous_question(tracker, ReviewReason.CLARIFY_OTHER)
        return events + next_candidates(dispatcher, tracker) + [SlotSet(feedback.PENDING_SLOT, None)]


class ActionFeedback(Action):
    """ "Cette réponse vous aide ?" answered: Oui is counted and thanked; Non is counted, goes
    to the review inbox, and the next candidates come, then a conseiller."""

    def name(self) -> str:
        return "action_feedback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent in ("feedback_yes", "affirm"):
            return review.feedback_yes(dispatcher, tracker)
        return (
            review.feedback_no(tracker) + next_candidates(dispatcher, tracker) + [SlotSet(feedback.PENDING_SLOT, None)]
        )
