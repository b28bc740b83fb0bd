"""bot/coop.py holds the Coop de la médiation numérique's values: the thematiques in two
explicit families, the activity report's enums with the Coop's stored values, and the
routes' structures de redirection are Coop values."""

from __future__ import annotations

from bot import classification, coop
from bot.settings import get_settings
from bot.triage import routing
from bot.yaml_files import load_yaml
from tests.booking.helpers import ROUTES


def test_the_thematiques_come_in_two_explicit_families_with_the_coops_values_and_labels():
    assert len(coop.THEMATIQUES_NON_ADMINISTRATIVES) == 19 and len(coop.THEMATIQUES_ADMINISTRATIVES) == 11
    assert set(coop.THEMATIQUES) == set(coop.Thematique)
    assert coop.ADMINISTRATIVE_THEMATIQUES == frozenset(coop.THEMATIQUES_ADMINISTRATIVES)
    assert "aide_aux_demarches_administratives" in coop.THEMATIQUES_NON_ADMINISTRATIVES  # as the Coop files it
    assert coop.THEMATIQUES["argent_impots"] == "Argent - Impôts"
    assert coop.THEMATIQUES["papiers_elections_citoyennete"] == "Papiers - Élections - Citoyenneté"
    assert classification.THEMATIQUES is coop.THEMATIQUES  # the contract imports the taxonomy
    assert routing.ADMINISTRATIVE_THEMATIQUES is coop.ADMINISTRATIVE_THEMATIQUES


def test_the_activity_report_enums_hold_the_coops_stored_values():
    # apps/web/prisma/schema.prisma, the @map of each member.
    assert coop.TypeLieu.values() == ("lieu_activite", "domicile", "a_distance", "autre")
    assert coop.Materiel.values() == ("ordinateur", "telephone", "tablette", "autre", "aucun")
    assert coop.Autonomie.values() == ("entierement_accompagne", "partiellement_autonome", "autonome")
    assert coop.StructureDeRedirection.values() == (
        "administration",
        "mediation_numerique",
        "operateur_ou_organisme_en_charge",
        "aide_sociale",
        "insertion_professionnelle",
        "aide_aux_demarches_administratives",
        "autre",
    )
    assert coop.TrancheAge.values()[0] == "moins_de_douze" and "non_communique" in coop.TrancheAge.values()
    assert coop.TypeActivite.values() == ("individuel", "collectif")
    assert coop.DUREES_PAR_DEFAUT == (15, 30, 45, 60, 90, 120)
    for labels, enum in (
        (coop.MATERIEL_LABELS, coop.Materiel),
        (coop.AUTONOMIE_LABELS, coop.Autonomie),
        (coop.STRUCTURE_DE_REDIRECTION_LABELS, coop.StructureDeRedirection),
        (coop.TYPE_LIEU_LABELS, coop.TypeLieu),
        (coop.TRANCHE_AGE_LABELS, coop.TrancheAge),
        (coop.GENRE_LABELS, coop.Genre),
        (coop.STATUT_SOCIAL_LABELS, coop.StatutSocial),
    ):
        assert set(labels) == set(enum), enum


def test_every_route_orients_to_a_coop_structure_de_redirection():
    rules = load_yaml(get_settings().routes_file.read_text(encoding="utf-8"))
    for rule in [*rules["routes"], rules["default"]]:
        value = rule.get("structure_de_redirection")
        assert value is None or value in coop.StructureDeRedirection.values(), rule["route"]
    assert (
        routing.route_named("france_services", path=ROUTES).structure_de_redirection
        == "aide_aux_demarches_administratives"
    )
