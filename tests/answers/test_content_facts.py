"""The facts of December 2026 the answers must keep (issue 16, "Fix what is wrong today").

One test per group, over every text a resident can get (domain responses, the triage
routes' messages, the message-building modules): no Bloctel advice; 17Cyber and Info
Escroqueries in every urgent answer, the conseiller offered after; no password, and no
login the person said they lack, asked in any booking confirmation; every mention of
France Services says where it is in Metz. (Places: tests/places/test_city_facts.py.)
"""

from __future__ import annotations

import itertools
import re
from datetime import datetime, timezone

from bot.places.models import Place
from bot.settings import ROOT
from bot.texts.booking import DEVICES, WHAT_TO_BRING, confirmation_text
from tests.answers.test_references import all_texts, domain_texts


def urgent_answers() -> dict[str, str]:
    return {
        where.split(":", 1)[1]: text
        for where, text in domain_texts()
        if where.split(":", 1)[1].startswith("utter_urgence/")
    }


def test_no_bloctel_advice_anywhere():
    found = [where for where, text in all_texts() if re.search(r"bloctel", text, re.I)]
    assert found == [], "Bloctel ended on 11 August 2026 (consent is required now): " + ", ".join(found)
    references = (ROOT / "data" / "references.yml").read_text(encoding="utf-8")
    assert "bloctel.gouv.fr" not in references


def test_the_consent_rule_replaces_it():
    text = dict((w.split(":", 1)[1], t) for w, t in domain_texts())["utter_faq_securite_numerique/donnees_personnelles"]
    assert "sans votre accord" in text and "33700" in text


def test_every_urgent_answer_gives_help_open_now_and_the_conseiller_comes_second():
    answers = urgent_answers()
    assert {
        "utter_urgence/carte_bancaire",
        "utter_urgence/prise_de_controle",
        "utter_urgence/compte_pirate",
        "utter_urgence/telephone_vole",
        "utter_urgence/faux_conseiller",
        "utter_urgence/chantage_rancon",
    } <= set(answers)
    for key, text in answers.items():
        assert "17cyber.gouv.fr" in text and "24h/24" in text, key
        assert "0 805 805 817" in text, key
        assert "RDV" not in text, f"{key}: the conseiller is offered after the help open now"
    # The urgent answer, then the offer of a conseiller (actions/answers.py, give_answer).
    from unittest.mock import MagicMock

    from actions.answers import give_answer

    dispatcher = MagicMock()
    give_answer(dispatcher, "urgence/carte_bancaire")
    said = [call.kwargs.get("response") for call in dispatcher.utter_message.call_args_list]
    assert said == ["utter_urgence/carte_bancaire", "utter_urgence_offer_conseiller"]
    offer = dict((w.split(":", 1)[1], t) for w, t in domain_texts())["utter_urgence_offer_conseiller"]
    assert "premier rendez-vous libre" not in offer and "RDV" in offer


def test_card_fraud_goes_to_perceval_and_warns_of_the_fake_advisers_call():
    text = urgent_answers()["utter_urgence/carte_bancaire"]
    assert "Perceval" in text and "faux conseiller" in text
    remote = urgent_answers()["utter_urgence/prise_de_controle"]
    assert remote.index("coupez internet") < remote.index("Plus tard") and "éteignez" not in remote


def test_no_confirmation_asks_for_a_password_or_for_logins_the_person_lacks():
    place = Place(
        slug="p",
        nom="Mairie de quartier de Borny",
        adresse="Pôle des Lauriers, 3 bis rue d'Anjou",
        code_postal="57070",
        commune="Metz",
        timezone="Europe/Paris",
    )
    start = datetime(2026, 12, 8, 13, 0, tzinfo=timezone.utc)
    answers = (None, "oui", "non", "inconnu")
    for thematique, materiel, has_login, has_email in itertools.product(
        [None, "autre_chose", *WHAT_TO_BRING], [None, "aucun", *DEVICES], answers, answers
    ):
        text = confirmation_text(place, start, thematique, materiel, has_login=has_login, has_email=has_email)
        lowered = text.lower()
        assert "mot de passe" not in lowered and "code" not in lowered and "identifiants" not in lowered, text
        if has_login == "non":
            assert "identifiant" not in lowered and "compte" not in lowered, text
        if has_email == "non" and thematique == "email":
            assert "e-mail" not in lowered, text


def test_every_france_services_mention_says_where():
    mentions = [(where, text) for where, text in all_texts() if "France Services" in text]
    assert len(mentions) > 20
    vague = [where for where, text in mentions if not ("Bellecroix" in text and "Borny" in text)]
    assert vague == [], "say where (mairies de quartier de Bellecroix et de Borny): " + ", ".join(vague)
