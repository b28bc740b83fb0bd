"""Spoken forms: every response reads well aloud; numbers, links, choices the phone way."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from bot.texts import voice as texts
from bot.texts.privacy import spoken_notice_text
from bot.voice.channel import Reply, twiml
from bot.voice.coverage import coverage, domain_responses
from bot.voice.listening import is_hidden, match_choice, said_number, wants_human
from bot.voice.spoken import french_number, is_speakable, speak, spoken_phone


def test_every_response_of_the_domain_has_a_spoken_form():
    result = coverage()
    assert result.total > 200  # every response of the domain, and the line's own texts
    assert result.unfit == [] and result.share == 1.0


def test_no_spoken_form_carries_a_url_or_an_instruction_to_write():
    for name, variation in domain_responses():
        for can_sms in (True, False):
            spoken = speak({"utter_action": name, **variation}, can_sms).text
            lowered = spoken.lower()
            assert "http" not in lowered and "www" not in lowered and ".fr" not in lowered, (name, spoken)
            assert "écrivez rdv" not in lowered and "RDV" not in spoken, (name, spoken)


@pytest.mark.parametrize(
    "n, words",
    [
        (0, "zéro"),
        (17, "dix-sept"),
        (21, "vingt et un"),
        (55, "cinquante-cinq"),
        (71, "soixante et onze"),
        (80, "quatre-vingts"),
        (87, "quatre-vingt-sept"),
        (92, "quatre-vingt-douze"),
        (705, "sept cent cinq"),
        (892, "huit cent quatre-vingt-douze"),
        (200, "deux cents"),
    ],
)
def test_numbers_are_said_in_french(n, words):
    assert french_number(n) == words


def test_phone_numbers_are_said_in_pairs_and_urls_never_read():
    assert spoken_phone("03 87 55 50 00") == "zéro trois, quatre-vingt-sept, cinquante-cinq, cinquante, zéro zéro"
    assert spoken_phone("+33612345678") == "zéro six, douze, trente-quatre, cinquante-six, soixante-dix-huit"
    written = "Signalez sur cybermalveillance.gouv.fr ou appelez le 0 892 705 705. Écrivez RDV."
    by_sms = speak({"text": written}, can_sms=True)
    assert by_sms.text == (
        "Signalez sur le lien que je vous envoie par SMS ou appelez le zéro, huit cent "
        "quatre-vingt-douze, sept cent cinq, sept cent cinq. Dites rendez-vous."
    )
    assert by_sms.has_link and by_sms.written == written
    landline = speak({"text": written}, can_sms=False)
    assert "cybermalveillance point gouv point fr" in landline.text and not landline.has_link
    assert is_speakable(by_sms.text) and is_speakable(landline.text)


def test_choices_are_spoken_with_their_number_and_the_offer_keeps_its_own_numbers():
    buttons = [{"title": "Ordinateur", "payload": "1"}, {"title": "Téléphone", "payload": "2"}]
    spoken = speak({"text": "Quel appareil utilisez-vous ?", "buttons": buttons}, True)
    assert spoken.text == "Quel appareil utilisez-vous ? Tapez 1 ou dites : Ordinateur. Tapez 2 ou dites : Téléphone."
    assert spoken.choices == {"1": "1", "2": "2"}
    offer = (
        "Voici les prochains rendez-vous :\n1. mardi 1er décembre à 14 h, Mairie de quartier de Borny\n"
        "2. jeudi 3 décembre à 9 h 45, CCAS de Metz\nRépondez 1, 2 ou 3. AUTRE : d'autres horaires."
    )
    slots = [
        {"title": "mardi 1er décembre à 14 h, Mairie de quartier de Borny", "payload": "1"},
        {"title": "jeudi 3 décembre à 9 h 45, CCAS de Metz", "payload": "2"},
        {"title": "Autres horaires", "payload": "autre"},
        {"title": "Être rappelé", "payload": "rappel"},
    ]
    spoken = speak({"text": offer, "buttons": slots}, True)
    assert spoken.text.startswith(
        "Voici les prochains rendez-vous : Tapez 1 ou dites : mardi 1er décembre à "
        "14 heures, Mairie de quartier de Borny. Tapez 2 ou dites : jeudi 3 décembre à "
        "9 heures 45, CCAS de Metz. Tapez 3 ou dites : Autres horaires."
    )
    assert spoken.choices == {"1": "1", "2": "2", "3": "autre", "4": "rappel"}
    assert match_choice("jeudi", spoken.titles) == "2"
    assert match_choice("le deuxième", spoken.titles) == "2"
    assert match_choice("un", spoken.titles) == "1"
    assert match_choice("autres horaires s'il vous plaît", spoken.titles) == "3"
    assert match_choice("décembre", spoken.titles) is None  # both slots: not a choice


def test_an_override_replaces_a_response_that_reads_badly():
    spoken = speak({"utter_action": "utter_ask_contact_phone", "text": "Écrivez-le"}, True)
    assert "touche dièse" in spoken.text


def test_the_line_knows_hidden_numbers_and_requests_for_a_person():
    assert all(is_hidden(v) for v in ("anonymous", "+266696687", "", "Restricted"))
    assert not is_hidden("+33612345678")
    assert wants_human("je voudrais parler à quelqu'un") and wants_human("conseiller")
    assert not wants_human("je veux un rendez-vous avec un conseiller")
    assert said_number("deux") == 2 and said_number("le 3") == 3 and said_number("mardi") is None


def test_every_gather_and_say_is_french_and_nothing_is_recorded():
    body = twiml(
        Reply(
            [texts.greeting("Aide numérique de Metz"), spoken_notice_text("Aide numérique de Metz", 90)],
            {"1": {"payload": "1", "title": "Oui"}},
        )
    )
    root = ET.fromstring(body)
    gather = root.find("Gather")
    assert gather.get("language") == "fr-FR" and gather.get("input") == "speech dtmf"
    assert gather.get("action").endswith("/webhooks/twilio_voice/gather")
    assert all(say.get("language") == "fr-FR" for say in root.iter("Say"))
    assert root.find(".//Record") is None and "record" not in body.lower()
    goodbye = ET.fromstring(twiml(Reply([texts.goodbye()], listen=False)))
    assert goodbye.find("Hangup") is not None and goodbye.find("Gather") is None
