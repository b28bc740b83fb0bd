"""The classification contract: from an NLU intent to a `request` and a `thematique`.

This is the one place that maps intents onto the values that evaluation,
monitoring, triage and the desk rely on.

- `request` says what kind of message it is (a question, an appointment...).
- `thematique` is the topic in the Coop de la médiation numérique taxonomy
  (bot/coop.py, with its two families and labels), or None when the message
  has no topic (a greeting, a cancellation...).

Intent naming convention (the NLU data follows it):
- `faq_<thematique>`: a help question on that topic; a Rasa retrieval intent
  whose sub-intents (`faq_email/mot_de_passe_oublie`) pick the answer.
- `urgence`: a scam or an account at stake right now (retrieval intent too).
- the conversational intents listed in `REQUEST_OF_INTENT`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.coop import THEMATIQUES  # noqa: F401  (the taxonomy; re-exported for the contract's users)

REQUESTS = (
    "question",
    "urgence",
    "rendez_vous",
    "humain",
    "annulation",
    "lieux_horaires",
    "salutation",
    "remerciement",
    "au_revoir",
    "hors_sujet",
    "suppression_donnees",
)

FAQ_PREFIX = "faq_"

# Conversational intents and the request each one is.
REQUEST_OF_INTENT: dict[str, str] = {
    "greet": "salutation",
    "thank": "remerciement",
    "goodbye": "au_revoir",
    "out_of_scope": "hors_sujet",
    "no_answer": "question",  # a help question the catalogue has no answer for: declined, a conseiller offered
    "ask_human": "humain",
    "urgence": "urgence",
    "book_appointment": "rendez_vous",
    "check_appointment": "rendez_vous",
    "move_appointment": "rendez_vous",
    "cancel_appointment": "annulation",
    "ask_places_hours": "lieux_horaires",
    "delete_my_data": "suppression_donnees",
    # Answers inside a conversation (yes, no, "passer"...): they carry no topic.
    "affirm": "question",
    "deny": "question",
    "skip": "question",
    # Choosing among the answers offered, or saying none fits (actions/answers.py).
    "choose_answer": "question",
    "not_my_question": "question",
    # "Cette réponse vous aide ? 1 Oui 2 Non" (actions/review.py): buttons' payloads.
    "feedback_yes": "question",
    "feedback_no": "question",
    "nlu_fallback": "hors_sujet",
}

# The topic an intent implies by itself, when it is not a `faq_` intent.
THEMATIQUE_OF_INTENT: dict[str, str] = {
    "urgence": "securite_numerique",
}


@dataclass(frozen=True)
class Classification:
    intent: str
    confidence: float
    request: str
    thematique: str | None

    def as_dict(self, text: str) -> dict:
        return {
            "text": text,
            "intent": self.intent,
            "confidence": round(float(self.confidence), 4),
            "request": self.request,
            "thematique": self.thematique,
        }


def base_intent(intent: str) -> str:
    """`faq_email/mot_de_passe_oublie` -> `faq_email`."""
    return intent.split("/", 1)[0]


def request_of(intent: str) -> str:
    intent = base_intent(intent)
    if intent.startswith(FAQ_PREFIX):
        return "question"
    try:
        return REQUEST_OF_INTENT[intent]
    except KeyError:
        raise KeyError(f"intent {intent!r} has no request in bot/classification.py") from None


def thematique_of(intent: str) -> str | None:
    intent = base_intent(intent)
    if intent.startswith(FAQ_PREFIX):
        value = intent[len(FAQ_PREFIX) :]
        if value not in THEMATIQUES:
            raise KeyError(f"intent {intent!r} names no Coop thematique")
        return value
    return THEMATIQUE_OF_INTENT.get(intent)


def classify_intent(intent: str, confidence: float) -> Classification:
    return Classification(
        intent=intent,
        confidence=confidence,
        request=request_of(intent),
        thematique=thematique_of(intent),
    )


# A request for a person (an appointment, a conseiller) that also names a topic ("un
# rendez-vous pour mes mails") carries that topic's thematique when the answers of that
# topic hold at least this share of the (calibrated) probability.
TOPIC_OF_REQUEST_AT = 0.2
REQUESTS_FOR_A_PERSON = ("rendez_vous", "humain")


# A help question has the thematique the answer classifier writes as `question_topic`
# (bot/nlu/question_topic.py): the answer's when it answers, else the most probable one. A help
# question the catalogue has no answer for (`no_answer`) still has a topic, which the activity
# report and the conseiller's ticket need: without `question_topic` (an older model), the closest
# help intent's, however small.
QUESTIONS_WITHOUT_AN_ANSWER = ("no_answer",)


def is_help_intent(intent: str) -> bool:
    """A help question: an answer's intent (`faq_email`, `urgence`) or one without an answer."""
    return intent.startswith(FAQ_PREFIX) or intent in THEMATIQUE_OF_INTENT or intent in QUESTIONS_WITHOUT_AN_ANSWER


def topic_named(parse: dict, at: float = TOPIC_OF_REQUEST_AT) -> str | None:
    """The thematique a message names beside its request: the answer classifier's
    `request_topic` when it wrote one (bot/nlu/request_topic.py), else the most probable
    help intent of the ranking, when it reaches `at`; None otherwise."""
    if "request_topic" in parse:  # written only when the best label is a request for a person
        try:
            return thematique_of(parse["request_topic"]) if parse["request_topic"] else None
        except KeyError:
            return None
    for candidate in parse.get("intent_ranking") or []:
        name = candidate.get("name") or ""
        if (name.startswith(FAQ_PREFIX) or name in THEMATIQUE_OF_INTENT) and float(
            candidate.get("confidence") or 0.0
        ) >= at:
            try:
                return thematique_of(name)
            except KeyError:
                return None
    return None


def classify_parse(parse: dict) -> Classification:
    """Classify Rasa's parse result.

    Below the fallback threshold Rasa reports `nlu_fallback`; the contract
    still wants the best guess, so the top real intent of the ranking is used
    with its own confidence. A request for a person that names a topic gets its
    thematique (`topic_named`), and so does a question without an answer (`no_answer`).
    """
    intent = parse.get("intent") or {}
    name = intent.get("name") or "nlu_fallback"
    confidence = float(intent.get("confidence") or 0.0)
    if name == "nlu_fallback":
        for candidate in parse.get("intent_ranking") or []:
            if candidate.get("name") != "nlu_fallback":
                name = candidate["name"]
                confidence = float(candidate.get("confidence") or 0.0)
                break
    if name == "nlu_fallback" or not name:
        return Classification("nlu_fallback", confidence, "hors_sujet", None)
    result = classify_intent(name, confidence)
    if is_help_intent(name) and parse.get("question_topic") in THEMATIQUES:
        return Classification(result.intent, result.confidence, result.request, str(parse["question_topic"]))
    if result.thematique is None and (result.request in REQUESTS_FOR_A_PERSON or name in QUESTIONS_WITHOUT_AN_ANSWER):
        topic = topic_named(parse, at=0.0 if name in QUESTIONS_WITHOUT_AN_ANSWER else TOPIC_OF_REQUEST_AT)
        if topic:
            return Classification(result.intent, result.confidence, result.request, topic)
    return result


def all_conversational_intents() -> list[str]:
    return list(REQUEST_OF_INTENT)
