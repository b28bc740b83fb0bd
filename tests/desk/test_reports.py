"""CSV export in the Coop report's columns, the statistics page with its SVG chart,
and the users CLI."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys

import pytest
from sqlalchemy import select

from bot.db import session_scope
from bot.desk.accounts import check_password
from bot.desk.coop import CSV_COLUMNS
from bot.desk.reports import _safe_cell
from bot.settings import ROOT
from bot.staff.models import User
from tests.desk.conftest import login, make_booked_ticket, make_user, post_form


def test_the_csv_export_has_the_coop_columns_and_one_row_per_recorded_outcome(app, desk_engine):
    ticket_id, _ = make_booked_ticket(desk_engine)
    other_id, _ = make_booked_ticket(desk_engine, phone="+33612340002")  # no outcome yet: not exported
    make_user(desk_engine, "coord@metz.fr", "coordinateur")
    client = app.test_client()
    login(client, "coord@metz.fr")
    post_form(
        client,
        f"/tickets/{ticket_id}",
        f"/tickets/{ticket_id}/bilan",
        {
            "duree": "45",
            "autonomie": "autonome",
            "thematiques": ["email", "argent_impots"],
            "materiel": ["tablette", "aucun"],
            "orientation": "aide_sociale",
            "structure_redirection": '=HYPERLINK("http://x")',
        },
    )
    response = client.get("/export.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # opens directly in French spreadsheets
    records = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    # The Coop's own export (buildAccompagnementsWorksheet.ts): these columns, in this order.
    assert records[0] == [
        "Date",
        "Enregistré le",
        "Dernière modification le",
        "Prénom du médiateur",
        "Nom du médiateur",
        "Rôle",
        "ID - Conum",
        "Type",
        "Participants",
        "Canaux d’accompagnement",
        "Nom du lieu",
        "Adresse",
        "Commune",
        "Code postal",
        "Code Insee",
        "Durée (min)",
        "Nom de l’atelier",
        "Matériel numérique utilisé",
        "Thématique(s) d’accompagnement",
        "Tags",
        "Nom de la démarche administrative",
        "Niveau d’autonomie (ou de l’atelier)",
        "Bénéficiaire réorienté",
        "Structure de redirection",
        "Commune du bénéficiaire",
        "Code postal du bénéficiaire",
        "Code Insee du bénéficiaire",
        "Genre du bénéficiaire",
        "Tranche d’âge du bénéficiaire",
        "Statut du bénéficiaire",
        "ID CRA",
    ]
    assert records[0] == list(CSV_COLUMNS)
    assert len(records) == 2
    row = dict(zip(CSV_COLUMNS, records[1]))
    assert row["ID CRA"] == str(ticket_id) and row["Durée (min)"] == "45" and row["Participants"] == "1"
    assert re.fullmatch(r"\d\d/\d\d/20\d\d", row["Date"])
    assert re.fullmatch(r"\d\d/\d\d/20\d\d à \d\d:\d\d", row["Enregistré le"])
    # The Coop's labels, several choices on separate lines of one cell.
    assert row["Thématique(s) d’accompagnement"] == "E-mail\nArgent - Impôts"
    assert row["Matériel numérique utilisé"] == "Tablette\nPas de matériel"
    assert row["Niveau d’autonomie (ou de l’atelier)"] == "3/3" and row["Bénéficiaire réorienté"] == "Oui"
    assert row["Structure de redirection"] == "Structure d’aide sociale (maison des solidarités, centre social…)"
    assert row["Type"] == "Accompagnement individuel" and row["Canaux d’accompagnement"] == "Lieu d’activité"
    assert row["Nom du lieu"] == "Mairie de quartier de Borny" and row["Commune"] == "Metz"
    assert row["Code postal"] == "57070" and row["Rôle"] == "Conseiller Numérique"
    assert row["Prénom du médiateur"] == "Nadia (exemple)"
    assert (row["Genre du bénéficiaire"], row["Tranche d’âge du bénéficiaire"], row["Statut du bénéficiaire"]) == (
        "Non communiqué",
        "Non communiqué",
        "Non communiqué ou hétérogène",
    )
    assert row["Nom de l’atelier"] == row["Tags"] == row["Code Insee"] == ""
    assert "HYPERLINK" not in text  # the free-text structure name is ours, not a Coop column
    assert _safe_cell('=HYPERLINK("http://x")').startswith("'=")  # no formula injection in a spreadsheet
    assert str(other_id) not in [r[-1] for r in records[1:]]
    assert client.get("/export.csv?du=2000-01-01&au=2000-01-02").get_data(as_text=True).count("\n") == 1


def test_the_statistics_page_shows_counts_the_no_show_rate_and_an_svg_chart(app, desk_engine):
    first, _ = make_booked_ticket(desk_engine)
    second, _ = make_booked_ticket(desk_engine, phone="+33612340002")
    make_user(desk_engine, "coord@metz.fr", "coordinateur")
    client = app.test_client()
    login(client, "coord@metz.fr")
    post_form(client, f"/tickets/{first}", f"/tickets/{first}/statut", {"statut": "vu"})
    post_form(client, f"/tickets/{second}", f"/tickets/{second}/statut", {"statut": "absent"})
    html = client.get("/statistiques").get_data(as_text=True)
    assert "2 ticket(s) en tout" in html
    assert "<strong>50 %</strong> (1 absent(s) sur 2)" in html
    assert "<svg" in html and html.count("<rect") == 12 and "<title>Tickets par semaine</title>" in html
    assert "E-mail" in html and "Mairie de quartier de Borny" in html
    assert "<script" not in html


@pytest.mark.processes
def test_users_cli_creates_an_account_with_an_argon2_hash(desk_env, desk_engine):
    settings, _ = desk_env
    env = {"DATABASE_URL": settings.database_url, "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "users",
            "create",
            "--email",
            "Camille@Metz.fr",
            "--role",
            "conseiller",
            "--conseiller",
            "camille",
            "--password-stdin",
        ],
        cwd=ROOT,
        env=env,
        input="un mot de passe long\n",
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    refused = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "users",
            "create",
            "--email",
            "x@metz.fr",
            "--role",
            "conseiller",
            "--password-stdin",
        ],
        cwd=ROOT,
        env=env,
        input="un mot de passe long\n",
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 1 and "--conseiller" in refused.stderr
    with session_scope(desk_engine) as session:
        user = session.execute(select(User)).scalar_one()
        assert user.email == "camille@metz.fr" and user.role == "conseiller" and user.conseiller.slug == "camille"
        assert user.password_hash.startswith("$argon2id$")
        assert check_password(user.password_hash, "un mot de passe long")


def test_a_coordinateur_downloads_everything_held_about_a_phone_number(app, desk_engine):
    ticket_id, _ = make_booked_ticket(desk_engine)
    make_user(desk_engine, "coord@metz.fr", "coordinateur")
    make_user(desk_engine, "nadia@metz.fr", "conseiller", "nadia")
    client = app.test_client()
    login(client, "coord@metz.fr")
    page = client.get("/donnees-personnelles").get_data(as_text=True)
    assert "Télécharger les données" in page  # bot.data_rights.export is installed
    bad = post_form(client, "/donnees-personnelles", "/donnees-personnelles", {"telephone": "pas un numéro"})
    assert bad.status_code == 400 and "pas valide" in bad.get_data(as_text=True)
    response = post_form(client, "/donnees-personnelles", "/donnees-personnelles", {"telephone": "06 12 34 99 99"})
    assert response.mimetype == "application/json" and "attachment" in response.headers["Content-Disposition"]
    data = response.get_json()
    assert data["phone"] == "+33612349999"
    assert ticket_id in [t["id"] for t in data["tickets"]]
    conseiller = app.test_client()
    login(conseiller, "nadia@metz.fr")
    assert conseiller.get("/donnees-personnelles").status_code == 403
