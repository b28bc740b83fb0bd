"""CSV export in the Coop report's columns, the statistics page with its SVG chart,
and the users CLI."""
from __future__ import annotations

import csv
import io
import subprocess
import sys

from sqlalchemy import select

from bot.db import session_scope
from bot.desk.accounts import check_password
from bot.desk.coop import CSV_COLUMNS
from bot.desk.models import User
from bot.settings import ROOT
from tests.desk.conftest import login, make_booked_ticket, make_user, post_form


def test_the_csv_export_has_the_coop_columns_and_one_row_per_recorded_outcome(app, desk_engine):
    ticket_id, _ = make_booked_ticket(desk_engine)
    other_id, _ = make_booked_ticket(desk_engine, phone="+33612340002")  # no outcome yet: not exported
    make_user(desk_engine, "coord@metz.fr", "coordinateur")
    client = app.test_client()
    login(client, "coord@metz.fr")
    post_form(client, f"/tickets/{ticket_id}", f"/tickets/{ticket_id}/bilan", {
        "duree": "45", "autonomie": "autonome", "thematiques": ["email"], "materiel": ["tablette"],
        "orientation": "autre_structure", "structure_redirection": "=HYPERLINK(\"http://x\")"})
    response = client.get("/export.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # opens directly in French spreadsheets
    records = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert records[0] == list(CSV_COLUMNS)
    assert len(records) == 2
    row = dict(zip(CSV_COLUMNS, records[1]))
    assert row["ticket"] == str(ticket_id) and row["duree_minutes"] == "45"
    assert row["thematiques"] == "E-mail" and row["materiel"] == "Tablette" and row["autonomie"] == "Autonome"
    assert row["lieu"] == "Mairie de quartier de Borny" and row["type"] == "Accompagnement individuel"
    assert row["structure_redirection"].startswith("'=")  # no formula injection in a spreadsheet
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


def test_users_cli_creates_an_account_with_an_argon2_hash(desk_env, desk_engine):
    settings, _ = desk_env
    env = {"DATABASE_URL": settings.database_url, "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "bot", "users", "create", "--email", "Camille@Metz.fr",
                             "--role", "conseiller", "--conseiller", "camille", "--password-stdin"],
                            cwd=ROOT, env=env, input="un mot de passe long\n", capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    refused = subprocess.run([sys.executable, "-m", "bot", "users", "create", "--email", "x@metz.fr",
                              "--role", "conseiller", "--password-stdin"],
                             cwd=ROOT, env=env, input="un mot de passe long\n", capture_output=True, text=True)
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
    assert "Télécharger les données" in page  # bot.privacy.export is installed
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
