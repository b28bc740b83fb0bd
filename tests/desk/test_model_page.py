"""The desk's "Modèle" page (issue 17, point 4): the coordinateur's retrain button, the figures
before and after, the history, the rollback; the desk only records requests (no Rasa here)."""

from __future__ import annotations

import shutil

from bot.db import session_scope
from bot.retrain import service
from bot.retrain.models import ModelStatus, ModelVersion
from tests.desk.conftest import first_permanence, login, make_user, post_form

BASE = {
    "answer_accuracy": 0.70,
    "reached_after_one_question": 0.90,
    "precision_of_answers": 0.94,
    "unanswerable_declined_or_clarified": 0.80,
    "thematique_accuracy": 0.84,
    "request_accuracy": 0.95,
    "clarified_of_all_messages": 0.16,
    "answered": 0.7,
    "clarified": 0.2,
    "declined": 0.1,
    "messages": 660,
}


def _models(engine, tmp_path, model_path):
    """A deployed model in service, then a refused retrain (worse precision on the blind set)."""
    with session_scope(engine) as session:
        paths = []
        for name in ("a", "b"):
            paths.append(tmp_path / f"{name}.tar.gz")
            shutil.copy2(model_path, paths[-1])
        deployed = ModelVersion(source="deployed", status=ModelStatus.IN_SERVICE, path=str(paths[0]), sha256="a" * 64)
        session.add(deployed)
        session.flush()
        service.put_in_service(session, deployed)
        worse = dict(BASE, precision_of_answers=0.93)
        session.add(
            ModelVersion(
                source="desk",
                status=ModelStatus.REFUSED,
                path=str(paths[1]),
                sha256="b" * 64,
                requested_by_name="Camille Coord",
                figures={"blind": worse},
                baseline_id=deployed.id,
                baseline_figures={"blind": BASE},
                reviewed_examples=2,
                training_seconds=71,
                reason="moins bon que le modèle en service : jeu aveugle : précision des réponses "
                "données 94.0 % -> 93.0 %",
            )
        )
        return deployed.id


def test_the_coordinateur_retrains_once_at_a_time_and_sees_the_figures(app, desk_engine, tmp_path, model_path):
    deployed_id = _models(desk_engine, tmp_path, model_path)
    make_user(desk_engine, "coord@metz.test", "coordinateur")
    client = app.test_client()
    login(client, "coord@metz.test")
    page = client.get("/modele").get_data(as_text=True)
    assert "<h1>Modèle</h1>" in page and "Réentraîner" in page
    assert f"Modèle n° {deployed_id}" in page
    assert "94.0 %" in page and "93.0 %" in page and "(moins bon)" in page and "refusé" in page
    assert "Revenir au modèle précédent" not in page  # nothing was in service before

    assert client.post("/modele/reentrainer").status_code == 400  # no CSRF token
    response = post_form(client, "/modele", "/modele/reentrainer", {})
    assert response.status_code == 302
    page = client.get("/modele").get_data(as_text=True)
    assert "Entraînement demandé" in page and "en attente" in page
    assert '<button type="submit">Réentraîner</button>' not in page
    with session_scope(desk_engine) as session:
        row = service.active_request(session)
        assert row.source == "desk" and row.requested_by_name and row.requested_by is not None
    # A second request (another tab, another coordinateur) is refused while it waits.
    post_form(client, "/calendriers", "/modele/reentrainer", {})
    assert "déjà en cours" in client.get("/modele").get_data(as_text=True)
    with session_scope(desk_engine) as session:
        assert session.query(ModelVersion).filter(ModelVersion.source == "desk").count() == 2


def test_rollback_from_the_desk_and_conseillers_kept_out(app, desk_engine, tmp_path, model_path):
    deployed_id = _models(desk_engine, tmp_path, model_path)
    with session_scope(desk_engine) as session:
        new = ModelVersion(
            source="desk",
            status=ModelStatus.RUNNING,
            path=str(tmp_path / "a.tar.gz"),
            sha256="c" * 64,
            figures={"blind": BASE},
            baseline_figures={"blind": BASE},
            baseline_id=deployed_id,
        )
        session.add(new)
        session.flush()
        service.finish(session, new, ModelStatus.IN_SERVICE)
        new_id = new.id
    make_user(desk_engine, "coord@metz.test", "coordinateur")
    with session_scope(desk_engine) as session:
        slug = first_permanence(session).conseiller.slug
    make_user(desk_engine, "cons@metz.test", "conseiller", slug)
    client = app.test_client()
    login(client, "coord@metz.test")
    page = client.get("/modele").get_data(as_text=True)
    assert f"Revenir au modèle précédent (n° {deployed_id})" in page
    post_form(client, "/modele", "/modele/revenir", {})
    assert f"Le modèle n° {deployed_id} est de nouveau en service." in client.get("/modele").get_data(as_text=True)
    with session_scope(desk_engine) as session:
        assert service.serving(session).id == deployed_id
        assert session.get(ModelVersion, new_id).status == ModelStatus.RETIRED

    other = app.test_client()
    login(other, "cons@metz.test")
    assert other.get("/modele").status_code == 403
    assert "Modèle</a>" not in other.get("/").get_data(as_text=True)
