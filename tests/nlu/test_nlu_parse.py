"""The trained model's parse carries what the conversation reads: the decision (answer,
clarify, decline) and the negated devices, e-mail and logins, up to tracker.latest_message;
and the examples of issue #15 behave as a resident would expect."""

from __future__ import annotations

import pytest

from bot.classification import classify_parse
from bot.nlu.decision import ANSWER, CLARIFY, DECISION_KEY, DECLINE, decide

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def model(model_path):
    from bot.nlu.model import TrainedModel

    trained = TrainedModel(model_path)
    yield trained
    trained.close()


def test_the_decision_and_the_negations_reach_the_trackers_latest_message(model):
    from rasa.core.channels.channel import UserMessage

    text = "je dois faire ma demande à la CAF mais j'ai pas d'ordinateur et pas d'adresse mail"

    async def turn():
        await model.agent.handle_message(UserMessage(text, sender_id="nlu-parse-test"))
        return await model.agent.tracker_store.retrieve("nlu-parse-test")

    tracker = model._loop.run_until_complete(turn())
    parse = tracker.latest_message.parse_data
    assert parse[DECISION_KEY]["decision"] in (ANSWER, CLARIFY, DECLINE)
    assert decide(parse).candidates
    negated = {(m["kind"], m["value"]) for m in parse["negated"]}
    assert ("appareil", "ordinateur") in negated and ("email", "mail") in negated
    # The CAF is what is asked; an e-mail answer would be the word winning over the question.
    assert classify_parse(parse).thematique == "social_sante", parse["intent"]
    assert not any(c.startswith("faq_email/") for c, _ in decide(parse).candidates[:1])


def test_a_negated_device_entity_is_marked(model):
    parse = model.parse("j'ai pas d'ordinateur, seulement une tablette, comment faire ma declaration")
    devices = {e["value"].lower(): e.get("negated", False) for e in parse["entities"] if e["entity"] == "appareil"}
    assert devices.get("ordinateur") is True and devices.get("tablette") is False


@pytest.mark.parametrize(
    "text, answer",
    [
        ("comment on télécharge WhatsApp sur mon téléphone", "faq_prendre_en_main_du_materiel/installer_application"),
        (
            "je veux garder le numéro de ma voisine dans le répertoire",
            "faq_prendre_en_main_du_materiel/appels_contacts",
        ),
        ("j'ai oublié mon mot de passe gmail", "faq_email/mot_de_passe_oublie"),
    ],
)
def test_the_question_wins_over_one_word(model, text, answer):
    decision = decide(model.parse(text))
    assert answer in [c for c, _ in decision.candidates][:2], decision


def test_an_appointment_request_that_names_a_topic_goes_to_booking(model):
    result = classify_parse(model.parse("je voudrais un rendez-vous pour apprendre à me servir de mon téléphone"))
    assert result.request == "rendez_vous", result


@pytest.mark.parametrize(
    "text, thematique",
    [
        ("je voudrais un rendez-vous avec un conseiller pour mes mails", "email"),
        ("un conseiller pour m'aider avec whatsapp svp", "reseaux_sociaux"),
        ("je veux parler à une vraie personne pour mon compte ameli", "social_sante"),
        ("je voudrais un rendez-vous", None),
        ("rdv svp", None),
        ("est-ce que je peux venir vous voir samedi matin", None),
        ("je veux parler a quelqu'un", None),
    ],
)
def test_a_request_for_a_person_names_the_topic_it_is_about_and_no_other(model, text, thematique):
    parse = model.parse(text)
    result = classify_parse(parse)
    assert result.request in ("rendez_vous", "humain"), (text, result)
    assert result.thematique == thematique, (text, result, parse.get("request_topic"))


def test_a_greeting_asks_nothing(model):
    parse = model.parse("bonjour")
    assert decide(parse).kind == DECLINE and classify_parse(parse).request == "salutation"


@pytest.mark.parametrize(
    "text",
    [
        # Not answered at once; the thematique model alone (bot/nlu/question_topic.py) names
        # securite_numerique and maintenance_de_materiel: "edf" and "bailleur" are housing words
        # of data/topics/lexicon.yml.
        "ou je trouve le numero de mon contrat edf",
        "le bailleur augmente les charges, c'est normal ?",
    ],
)
def test_a_question_not_answered_at_once_takes_the_thematique_its_domain_words_name(model, text):
    parse = model.parse(text)
    assert decide(parse).kind != ANSWER, parse["intent"]
    assert classify_parse(parse).thematique == "logement", parse.get("question_topic")
