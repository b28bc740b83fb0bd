"""The "Modèle" page (coordinateur): retrain with the reviewed examples, see the figures, roll back.

The desk runs without Rasa: "Réentraîner" only records the request (bot/retrain/service.py);
the worker (`python -m bot retrain --worker`) trains, evaluates and decides, and every Rasa
process pulls the model in service from it. A second request while one waits or runs is refused.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from bot.desk import db
from bot.desk.views import log, require_coordinateur
from bot.retrain import service
from bot.retrain.compare import HEADLINE, SET_LABELS, SHOWN
from bot.retrain.models import ModelStatus

bp = Blueprint("model", __name__)
STATUS_LABELS = {
    ModelStatus.REQUESTED: "en attente",
    ModelStatus.RUNNING: "entraînement en cours",
    ModelStatus.IN_SERVICE: "en service",
    ModelStatus.RETIRED: "remplacé",
    ModelStatus.REFUSED: "refusé",
    ModelStatus.FAILED: "échec",
}
SOURCE_LABELS = {"desk": "espace conseillers", "cli": "ligne de commande", "deployed": "modèle livré"}
SHOWN_LABELS = {
    "answered": "questions répondues",
    "clarified": "questions précisées",
    "declined": "questions déclinées",
}


@bp.before_request
def _coordinateur_only():
    require_coordinateur()


def comparison(row) -> list[dict]:
    """Per set, the rows (label, before, after, worse?) of a model compared with its baseline."""
    if not row or not row.figures:
        return []
    sets = []
    for set_name, after in row.figures.items():
        before = (row.baseline_figures or {}).get(set_name, {})
        lines = []
        for key, label, higher, _count in HEADLINE:
            if key in after:
                old = before.get(key)
                loss = None if old is None else ((old - after[key]) if higher else (after[key] - old))
                lines.append({"label": label, "before": old, "after": after[key], "worse": bool(loss and loss > 1e-12)})
        for key in SHOWN:
            if key in after:
                lines.append(
                    {"label": SHOWN_LABELS[key], "before": before.get(key), "after": after[key], "worse": False}
                )
        sets.append({"name": SET_LABELS.get(set_name, set_name), "messages": after.get("messages"), "lines": lines})
    return sets


@bp.route("/modele")
def index():
    session = db()
    rows = service.history(session)
    latest = next((r for r in rows if r.figures), None)
    return render_template(
        "model.html",
        title="Modèle",
        rows=rows,
        serving=service.serving(session),
        active=service.active_request(session),
        previous=service.previous_model(session),
        latest=latest,
        comparison=comparison(latest),
        status_labels=STATUS_LABELS,
        source_labels=SOURCE_LABELS,
        pull_seconds=current_app.config["DESK_SETTINGS"].model_pull_seconds,
    )


@bp.route("/modele/reentrainer", methods=["POST"])
def retrain():
    session = db()
    try:
        row = service.request_retrain(
            session, "desk", user_id=current_user.id, user_name=current_user.display_name[:120]
        )
    except service.RetrainBusy:
        flash("Un entraînement est déjà en cours. Attendez qu'il soit terminé.", "error")
        return redirect(url_for("model.index"))
    log("create", "model_version", row.id, {"retrain": True})
    session.commit()
    flash("Entraînement demandé. Il prend quelques minutes : rechargez cette page pour voir le résultat.", "ok")
    return redirect(url_for("model.index"))


@bp.route("/modele/revenir", methods=["POST"])
def rollback():
    session = db()
    try:
        row = service.rollback(session, current_user.display_name[:80])
    except service.NoPreviousModel:
        flash("Il n'y a pas de modèle précédent.", "error")
        return redirect(url_for("model.index"))
    log("change", "model_version", row.id, {"rollback": True})
    session.commit()
    flash(f"Le modèle n° {row.id} est de nouveau en service.", "ok")
    return redirect(url_for("model.index"))
