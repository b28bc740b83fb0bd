"""The national open-data file (schéma des lieux de médiation numérique) becomes a places file."""

from __future__ import annotations

import json

import yaml

from bot.db import session_scope
from bot.desk.places_loader import load_places
from bot.places.importer import import_national_file, refresh_places, write_places_file
from bot.places.lookup import find_places
from bot.settings import get_settings
from bot.sms.outbound import SmsConfig
from bot.yaml_files import load_yaml

CSV = (
    "id,nom,commune,code_postal,adresse,complement_adresse,latitude,longitude,telephone,horaires,"
    "services,modalites_accompagnement,prise_rdv\n"
    "a1,Espace numérique de Borny,Metz,57070,2 boulevard de Provence,,49.108,6.224,+33387000000,"
    '"Mo-Fr 09:00-12:00","Prendre en main un smartphone ou une tablette|Réaliser des démarches administratives",'
    '"Accompagnement individuel;Dans un atelier collectif",https://rdv.example.org\n'
    "a2,Tiers-lieu de Nancy,Nancy,54000,1 rue de Nancy,,48.69,6.18,,,Accès internet,,\n"
    'a3,Mairie annexe,Metz,57050,4 rue de la Patrotte,Bâtiment B,"49,1399","6,1801",,not a schedule,,,\n'
    "a4,Sans adresse,Metz,57000,,,,,,,,,\n"
)


def test_csv_rows_of_one_commune_become_places_to_complete(tmp_path):
    source = tmp_path / "lieux.csv"
    source.write_text(CSV, encoding="utf-8")
    data = import_national_file(source, commune="metz")
    places = {p["slug"]: p for p in data["places"]}
    assert set(places) == {"espace-numerique-de-borny-metz", "mairie-annexe-metz"}  # no Nancy, no address-less row
    borny = places["espace-numerique-de-borny-metz"]
    assert borny["services"] == [
        "Prendre en main un smartphone ou une tablette",
        "Réaliser des démarches administratives",
    ]
    assert borny["modalites_accompagnement"] == ["Accompagnement individuel", "Dans un atelier collectif"]
    assert borny["horaires"] == "Mo-Fr 09:00-12:00" and borny["id_national"] == "a1"
    assert borny["permanences"] == [] and "permanences" in borny["a_verifier"]
    annexe = places["mairie-annexe-metz"]
    assert annexe["adresse"] == "4 rue de la Patrotte Bâtiment B"
    assert annexe["latitude"] == 49.1399  # French decimal comma
    assert "horaires" not in annexe and "horaires" in annexe["a_verifier"]  # invalid OSM syntax is not kept


def test_json_file_imports_and_the_result_loads_into_the_database(tmp_path, db_engine):
    source = tmp_path / "lieux.json"
    source.write_text(
        json.dumps(
            [
                {
                    "id": "b1",
                    "nom": "Médiathèque du Sablon",
                    "commune": "Metz",
                    "code_postal": "57000",
                    "adresse": "4 rue des Robert",
                    "services": ["Navigation sur internet"],
                    "horaires": "Tu-Sa 10:00-18:00",
                }
            ]
        ),
        encoding="utf-8",
    )
    out = tmp_path / "metz-import.yml"
    write_places_file(import_national_file(source, code_postal="57000"), out)
    assert "TO CHECK BY THE CITY" in out.read_text(encoding="utf-8")
    assert load_yaml(out.read_text(encoding="utf-8"))["places"][0]["services"] == ["Navigation sur internet"]
    with session_scope(db_engine) as session:
        counts = load_places(session, out, sms=SmsConfig.of(get_settings()))
        assert counts["places"] == 1
        assert [p.nom for p in find_places(session, "j'habite 57000")] == ["Médiathèque du Sablon"]


def test_a_refresh_from_the_national_file_updates_public_fields_and_leaves_the_permanences(tmp_path, db_engine):
    from datetime import date

    from sqlalchemy import select

    from bot.places.models import Permanence, Place

    city = tmp_path / "city.yml"
    city.write_text(
        yaml.safe_dump(
            {
                "timezone": "Europe/Paris",
                "conseillers": [{"slug": "c1", "name": "Camille"}],
                "places": [
                    {
                        "slug": "borny",
                        "nom": "Espace numérique de Borny",
                        "adresse": "1 rue ancienne",
                        "code_postal": "57070",
                        "commune": "Metz",
                        "horaires": "Mo 09:00-10:00",
                        "aliases": ["borny"],
                        "checked": "2026-12-01",
                        "closed_until": "2026-12-24",
                        "permanences": [{"slug": "borny-c1", "conseiller": "c1", "schedule": "Tu 14:00-17:00"}],
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    national = tmp_path / "lieux.csv"
    national.write_text(CSV, encoding="utf-8")
    with session_scope(db_engine) as session:
        load_places(session, city, sms=SmsConfig.of(get_settings()))
        session.execute(select(Permanence)).scalar_one().schedule = "We 09:00-12:00"  # edited in the desk
        counts = refresh_places(session, national, commune="Metz")
        assert counts == {"refreshed": 1, "unchanged": 0, "not_in_database": 1}
        place = session.execute(select(Place)).scalar_one()
        assert (place.adresse, place.horaires, place.telephone) == (
            "2 boulevard de Provence",
            "Mo-Fr 09:00-12:00",
            "+33387000000",
        )
        assert place.id_national == "a1" and place.services[0] == "Prendre en main un smartphone ou une tablette"
        assert place.aliases == ["borny"] and place.checked_on == date(2026, 12, 1)
        assert place.closed_until == date(2026, 12, 24)
        assert [(p.slug, p.schedule) for p in place.permanences] == [("borny-c1", "We 09:00-12:00")]
        assert refresh_places(session, national, commune="Metz")["unchanged"] == 1  # matched by national id now
