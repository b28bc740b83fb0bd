"""Triage answers by number or in words, skippable."""

from __future__ import annotations

import pytest

from bot.triage.answers import (
    SKIPPED,
    parse_accessibility,
    parse_first_name,
    parse_materiel,
    parse_preferred_time,
    parse_slot_choice,
    parse_yes_no,
)
from bot.triage.routing import choose_route, estimate_autonomie
from tests.booking.helpers import ROUTES


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1", "ordinateur"),
        ("2", "telephone"),
        (" 3. ", "tablette"),
        ("5", "aucun"),
        ("mon telephone", "telephone"),
        ("un Samsung", "telephone"),
        ("PC portable", "ordinateur"),
        ("ordinateur portable", "ordinateur"),
        ("portable", "telephone"),
        ("ipad", "tablette"),
        ("rien du tout", "aucun"),
        ("passer", SKIPPED),
        ("je sais pas", SKIPPED),
        ("9", None),
        ("banane", None),
    ],
)
def test_materiel(text, expected):
    assert parse_materiel(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1", "oui"),
        ("2", "non"),
        ("3", SKIPPED),
        ("Oui", "oui"),
        ("ouais j'en ai une", "oui"),
        ("non pas du tout", "non"),
        ("nan", "non"),
        ("jsp", SKIPPED),
        ("peut-être", None),
    ],
)
def test_yes_no(text, expected):
    assert parse_yes_no(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1", "matin"),
        ("2", "apres_midi"),
        ("3", SKIPPED),
        ("le matin", "matin"),
        ("plutot l'apres midi", "apres_midi"),
        ("mardi", "mardi"),
        ("jeudi après-midi", "jeudi apres_midi"),
        ("peu importe", SKIPPED),
    ],
)
def test_preferred_time(text, expected):
    assert parse_preferred_time(text) == expected


def test_accessibility_and_first_name():
    assert parse_accessibility("1") == "aucun"
    assert parse_accessibility("je suis en fauteuil") == "mobilite"
    assert parse_accessibility("je suis malentendant") == "audition"
    assert parse_accessibility("il faut quelqu'un qui parle turc") == "langue"
    assert parse_first_name("Je m'appelle marie-claire") == "Marie-claire"
    assert parse_first_name("Jean") == "Jean"
    assert parse_first_name("passer") == SKIPPED
    assert parse_first_name("<script>alert(1)</script>") is None
    assert parse_first_name("x" * 200) is None


def test_slot_choice():
    assert parse_slot_choice("2", 3) == 2
    assert parse_slot_choice("le 3", 3) == 3
    assert parse_slot_choice("4", 3) is None
    assert parse_slot_choice("AUTRE", 3) == "autre"
    assert parse_slot_choice("aucun ne me va", 3) == "autre"
    assert parse_slot_choice("🙂", 3) is None
    for callback in ("RAPPEL", "rappelez moi svp", "vous pouvez m'appeler ?", "je prefere etre rappele"):
        assert parse_slot_choice(callback, 3) == "rappel", callback


def test_autonomie_estimate():
    assert estimate_autonomie("non", "non") == "entierement_accompagne"
    assert estimate_autonomie("oui", "non") == "partiellement_autonome"
    assert estimate_autonomie("oui", "oui") == "autonome"
    assert estimate_autonomie(SKIPPED, None) == "partiellement_autonome"


def test_routes_come_from_the_city_configuration():
    assert (
        choose_route({"thematique": "argent_impots", "has_email": "non", "has_login": "non"}, path=ROUTES).route
        == "aidants_connect"
    )
    no_device = choose_route({"thematique": "email", "materiel": "aucun", "has_email": "oui"}, path=ROUTES)
    assert no_device.route == "partenaire_materiel" and no_device.book == "individuel"
    workshop = choose_route({"thematique": "securite_numerique", "has_email": "oui", "has_login": "oui"}, path=ROUTES)
    assert workshop.route == "atelier" and workshop.book == "atelier"
    assert choose_route({"thematique": "email", "materiel": "telephone"}, path=ROUTES).route == "rendez_vous"
