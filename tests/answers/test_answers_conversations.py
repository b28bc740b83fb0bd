"""Questions answered through the trained model, the real Rasa server and action server.

A question gets an answer from the right topic; a follow-up on another sub-topic
too, and the appointment that follows knows the topic already (the triage does
not ask "pour quoi ?" and the ticket carries the thematique and the answers
given); a scam in progress gets the protective steps first, then a conseiller;
not understood twice gets a conseiller; out of scope and places/hours get their
answers.
"""

from __future__ import annotations

import uuid
from functools import lru_cache

from sqlalchemy import select

from bot.db import make_engine, session_scope
from bot.settings import ROOT
from bot.tickets.models import Ticket
from bot.yaml_files import load_yaml


@lru_cache(maxsize=1)
def domain_responses() -> dict[str, list[str]]:
    responses = {}
    for path in sorted((ROOT / "bot" / "domain").glob("*.yml")):
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
        for name, variants in (data.get("responses") or {}).items():
            responses[name] = [v.get("text") or "" for v in variants]
    return responses


def texts_of(prefix: str) -> set[str]:
    """Every text of the responses whose name starts with `prefix` (e.g. utter_faq_email/)."""
    return {text for name, texts in domain_responses().items() if name.startswith(prefix) for text in texts}


def response_name(text: str) -> str | None:
    for name, texts in domain_responses().items():
        if text in texts:
            return name
    return None


def new_sender() -> str:
    return "test:" + uuid.uuid4().hex


def test_a_question_is_answered_from_its_topic(live_bot):
    replies = live_bot.texts(new_sender(), "jai oublier le mot de passe de ma boite gmail je peux plus lire mes mails")
    assert replies and replies[0] in texts_of("utter_faq_email/"), replies
    assert response_name(replies[0]) == "utter_faq_email/mot_de_passe_oublie"


def test_an_administrative_question_names_the_online_service(live_bot):
    replies = live_bot.texts(new_sender(), "comment je fais ma declaration de revenus sur internet")
    assert replies and replies[0] in texts_of("utter_faq_argent_impots/"), replies
    assert "impots.gouv.fr" in replies[0]


def test_a_follow_up_then_an_appointment_that_knows_the_topic(live_bot):
    bot, sender = live_bot, new_sender()
    first = bot.texts(sender, "j'ai oublié le mot de passe de ma boite mail orange, je peux plus lire mes mails")
    assert response_name(first[0]) == "utter_faq_email/mot_de_passe_oublie", first
    second = bot.texts(sender, "et comment on met une photo en piece jointe dans un mail ?")
    assert response_name(second[0]) == "utter_faq_email/piece_jointe", second

    replies = bot.texts(sender, "je veux un rendez-vous")
    assert "questions courtes" in replies[0]
    assert "appareil" in replies[-1], "the triage asked again what the problem is"

    answers = {
        "appareil": "2",
        "adresse e-mail": "oui",
        "identifiants": "oui",
        "quartier": "Bellecroix",
        "Quand": "1",
        "prénom": "Paul",
        "besoin particulier": "1",
        "portable": "06 12 34 00 77",
    }
    question = replies[-1]
    for _ in range(len(answers)):
        assert "En quelques mots" not in question
        key = next(k for k in answers if k in question)
        question = " ".join(bot.texts(sender, answers.pop(key)))
        if "Voici les prochains rendez-vous" in question:
            break
    assert "Voici les prochains rendez-vous" in question, question
    assert "Rendez-vous confirmé" in " ".join(bot.texts(sender, "1"))

    engine = make_engine(bot.env["DATABASE_URL"])
    with session_scope(engine) as session:
        ticket = session.execute(select(Ticket).order_by(Ticket.id.desc())).scalars().first()
        assert ticket.thematique == "email"
        assert ticket.bot_answers[-2:] == ["faq_email/mot_de_passe_oublie", "faq_email/piece_jointe"]
    engine.dispose()


def test_a_scam_in_progress_gets_protective_steps_first_then_a_conseiller(live_bot):
    replies = live_bot.texts(
        new_sender(), "jai donné mon code de carte bleue a un faux conseiller de la banque au telephone il y a 10 min"
    )
    assert len(replies) >= 2, replies
    assert replies[0] in texts_of("utter_urgence/"), replies
    assert "0 892 705 705" in replies[0] or "banque" in replies[0]
    assert replies[-1] in texts_of("utter_urgence_offer_conseiller")
    assert "RDV" in replies[-1] or "conseiller" in replies[-1]


def test_a_hacked_account_is_urgent_too(live_bot):
    replies = live_bot.texts(new_sender(), "URGENT mon compte whatsapp a ete piraté quelqu'un ecrit a mes contacts")
    assert replies[0] in texts_of("utter_urgence/"), replies
    assert replies[-1] in texts_of("utter_urgence_offer_conseiller")


def test_gibberish_twice_asks_to_rephrase_then_offers_a_conseiller(live_bot):
    sender = new_sender()
    first = " ".join(live_bot.texts(sender, "xqzw plokj vbnmz"))
    assert "autrement" in first, first
    second = " ".join(live_bot.texts(sender, "Wie spät ist es bitte"))
    assert "conseiller" in second and "RDV" in second, second


def test_out_of_scope_says_so_kindly_and_what_the_assistant_can_do(live_bot):
    replies = live_bot.texts(new_sender(), "c'est quand le prochain match du FC Metz au stade ?")
    assert replies and replies[0] in texts_of("utter_out_of_scope"), replies
    assert "numérique" in replies[0]


def test_places_and_hours_come_from_the_database(live_bot):
    sender = new_sender()
    named = " ".join(live_bot.texts(sender, "c'est quoi les horaires de la mairie de quartier de Bellecroix ?"))
    assert "13 rue de Toulouse" in named and "lun-ven" in named, named
    listed = " ".join(live_bot.texts(sender, "vous êtes ouvert quels jours ?"))
    assert "Les conseillers numériques vous reçoivent" in listed and "CCAS de Metz" in listed, listed
