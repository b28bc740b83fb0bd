"""The review inbox and the learning statistics (issue 17).

- /apprentissage: the messages the assistant did not understand (bot/review/inbox.py),
  grouped by similar messages, for the coordinateur and the conseillers given the right;
  one form per message labels it: the right answer (a select of every answer and the
  conversational intents), "réponse manquante", "hors sujet" or "ignorer";
- /apprentissage/droits (coordinateur): which conseillers may review;
- /apprentissage/statistiques (coordinateur): bot/review/stats.py.

Every POST carries the CSRF token; every label and right given is in the audit log (the
item's id, never its text).
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from bot.coop import thematique_label
from bot.db import utcnow
from bot.desk import db
from bot.desk.views import log, require_coordinateur
from bot.review import inbox, stats
from bot.review.counters import iso_week
from bot.review.models import ReviewItem, ReviewLabel
from bot.staff.models import User

bp = Blueprint("review", __name__)
FEEDBACK_WEEKS = 12


def require_reviewer() -> None:
    if not current_user.may_review:
        abort(403)


@bp.route("/apprentissage")
def index():
    require_reviewer()
    session = db()
    groups = inbox.unreviewed_groups(session)
    log("view", "review_inbox")
    session.commit()
    return render_template(
        "review_inbox.html",
        title="Messages à revoir",
        groups=groups,
        total=inbox.unreviewed_count(session),
        choices=inbox.answer_choices(),
        labels=inbox.LABEL_NAMES,
        reasons=inbox.REASON_NAMES,
        ReviewLabel=ReviewLabel,
        thematique_label=thematique_label,
    )


@bp.route("/apprentissage/<int:item_id>/etiquette", methods=["POST"])
def label(item_id: int):
    require_reviewer()
    session = db()
    item = session.get(ReviewItem, item_id)
    if item is None:
        abort(404)
    try:
        labelled = inbox.label(
            session,
            item,
            request.form.get("etiquette", ""),
            answer=request.form.get("reponse") or None,
            user_id=current_user.id,
            with_similar=request.form.get("semblables") == "1",
        )
    except inbox.LabelError as error:
        session.rollback()
        flash(f"Message non étiqueté : {error}.", "error")
        return redirect(url_for("review.index"), code=303)
    log(
        "label",
        "review_item",
        item.id,
        {"label": item.label, "answer": item.label_answer, "items": [i.id for i in labelled]},
    )
    session.commit()
    flash(f"{len(labelled)} message(s) étiqueté(s) : {inbox.LABEL_NAMES[ReviewLabel(item.label)]}.", "ok")
    return redirect(url_for("review.index"), code=303)


@bp.route("/apprentissage/droits", methods=["GET", "POST"])
def rights():
    require_coordinateur()
    session = db()
    if request.method == "POST":
        user = session.get(User, request.form.get("utilisateur", type=int) or -1)
        if user is None or user.is_coordinateur:
            abort(404)
        user.can_review = request.form.get("droit") == "1"
        log("review_right", "desk_user", user.id, {"can_review": user.can_review})
        session.commit()
        flash(f"{user.display_name} : {'peut' if user.can_review else 'ne peut plus'} revoir les messages.", "ok")
        return redirect(url_for("review.rights"), code=303)
    users = list(session.execute(select(User).where(User.role == "conseiller").order_by(User.email)).scalars())
    return render_template("review_rights.html", title="Qui peut revoir les messages", users=users)


@bp.route("/apprentissage/statistiques")
def statistics():
    require_coordinateur()
    session = db()
    weeks = stats.weekly_outcomes(session)
    first_week = iso_week(utcnow() - timedelta(weeks=FEEDBACK_WEEKS))
    log("view", "learning_statistics")
    session.commit()
    return render_template(
        "review_stats.html",
        title="Apprentissage : statistiques",
        weeks=weeks,
        outcomes=stats.OUTCOMES,
        feedback=stats.feedback_per_answer(session, first_week),
        needs=stats.unanswered_needs(session),
        thematique_label=thematique_label,
        feedback_weeks=FEEDBACK_WEEKS,
    )
