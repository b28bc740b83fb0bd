"""The coordinateur's answer editor and the review page.

- /reponses: search the answers by words, with how often each was sent in 30 days;
- /reponses/modifier?cle=KEY: edit its texts and sources, "Vérifier" shows the checks
  and the previews (SMS segments, widget, spoken line) without saving, "Enregistrer"
  saves when the checks pass (bot/answers/checks.py is the authority); a refused edit
  gives its reasons and shows the form again as it was typed. A URL or phone number
  not yet listed is added with its source from the same form. History and revert.
- /revue: answers and places not checked for ANSWER_REVIEW_DAYS, most used first;
  "Vérifié" records who and when.

Every change is an answer version (bot/answers/store.py) and an audit log entry.
The texts reach residents at the next turn (bot/answers/nlg.py).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from sqlalchemy import select

from bot.answers import store
from bot.answers.checks import SMS_CHANNEL
from bot.answers.models import AnswerReference
from bot.answers.usage import due_answers, due_places, mark_place_checked, sent_counts
from bot.desk import db, desk_settings
from bot.desk.views import actor, log, require_coordinateur

bp = Blueprint("answers", __name__)


@bp.before_request
def _coordinateur_only():
    require_coordinateur()


def variation_label(variation: dict) -> str:
    if variation.get("channel") == SMS_CHANNEL:
        label = "Texte envoyé par SMS"
    elif variation.get("channel"):
        label = f"Texte pour la voie {variation['channel']}"
    else:
        label = "Texte"
    if variation.get("condition"):
        label += " (quand " + ", ".join(f"{c.get('name')} = {c.get('value')}" for c in variation["condition"]) + ")"
    return label


def _answer_or_404(key: str):
    try:
        return store.get(db(), key)
    except store.UnknownAnswer:
        abort(404)


@bp.route("/reponses")
def index():
    session = db()
    words = request.args.get("q", "")[:200]
    answers = store.search(session, words)
    counts = sent_counts(session)
    return render_template(
        "answers.html",
        title="Réponses de l'assistant",
        answers=answers,
        counts=counts,
        words=words,
        seeded=bool(answers) or bool(words),
    )


def _typed_texts(answer) -> list[str]:
    return [request.form.get(f"texte_{i}", "") for i in range(len(answer.variations))]


def _typed_sources() -> list[str]:
    return [line.strip() for line in request.form.get("sources", "").splitlines() if line.strip()]


# The editor's page may run its one script (static/answers.js, checks as you type); every other
# page of the desk keeps `script-src 'none'`.
EDITOR_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'"
)


def _render_editor(answer, texts: list[str], sources: list[str], reports=None, problems=None, status=200):
    session = db()
    page = render_template(
        "answer.html",
        title=f"Réponse {answer.key}",
        answer=answer,
        texts=texts,
        sources=sources,
        labels=[variation_label(v) for v in answer.variations],
        reports=reports,
        problems=problems or [],
        history=store.history(session, answer.key),
        uses=sent_counts(session).get(answer.key, 0),
        form=request.form,
        review_days=desk_settings().answer_review_days,
    )
    return page, status, {"Content-Security-Policy": EDITOR_CSP}


@bp.route("/reponses/modifier", methods=["GET", "POST"])
def edit():
    session = db()
    key = request.values.get("cle", "")
    answer = _answer_or_404(key)
    if request.method == "GET":
        texts = [str(v.get("text") or "") for v in answer.variations]
        reports = store.check(session, answer, answer.variations, fold_accents=desk_settings().sms_fold_accents)
        return _render_editor(answer, texts, list(answer.sources or []), reports)
    texts, sources = _typed_texts(answer), _typed_sources()
    problems = []
    reference = None
    if request.form.get("ref_valeur", "").strip():
        try:
            reference = store.add_reference(
                session,
                request.form["ref_valeur"],
                request.form.get("ref_quoi", ""),
                request.form.get("ref_source", ""),
                actor(),
            )
        except store.Refused as refused:
            problems += refused.problems
    variations = store.with_texts(answer.variations, texts)
    reports = store.check(session, answer, variations, fold_accents=desk_settings().sms_fold_accents)
    problems += [p for r in reports for p in r.problems]
    seen = request.form.get("version", "")
    if request.form.get("action") == "enregistrer" and seen.isdigit() and int(seen) != answer.version:
        problems.append(
            f"Quelqu'un a changé cette réponse pendant que vous écriviez (version {answer.version}, "
            f"par {answer.updated_by}). Votre texte est gardé : comparez avec l'historique, "
            "puis enregistrez à nouveau."
        )
    if request.form.get("action") != "enregistrer" or problems:
        session.rollback()  # nothing is kept of a refused edit, not even its new reference
        if problems and request.form.get("action") == "enregistrer":
            return _render_editor(answer, texts, sources, reports, problems, status=400)
        return _render_editor(answer, texts, sources, reports, problems)
    before = answer.version
    store.edit(
        session,
        key,
        texts,
        actor(),
        sources=sources,
        note=request.form.get("note", "")[:500] or None,
        fold_accents=desk_settings().sms_fold_accents,
    )
    if reference is not None:
        log("change", "answer_reference", reference.id, {"value": reference.value, "source": reference.source})
    if answer.version != before:
        log("change", "answer", answer.id, {"key": key, "version": answer.version})
        session.commit()
        flash("Réponse enregistrée. L'assistant l'envoie dès le prochain message.", "info")
    else:
        session.commit()
        flash("Rien n'a changé.", "info")
    return redirect(url_for("answers.edit", cle=key))


@bp.route("/reponses/controle.json", methods=["POST"])
def check_json():
    """The checks of a typed text, for the editor's optional script (the submit checks again)."""
    session = db()
    answer = _answer_or_404(request.form.get("cle", ""))
    variations = store.with_texts(answer.variations, _typed_texts(answer))
    reports = store.check(session, answer, variations, fold_accents=desk_settings().sms_fold_accents)
    return jsonify([r.as_dict() for r in reports])


@bp.route("/reponses/retour", methods=["POST"])
def revert():
    session = db()
    key = request.form.get("cle", "")
    answer = _answer_or_404(key)
    number = request.form.get("version", "")
    try:
        store.revert(session, key, int(number), actor())
    except (ValueError, store.UnknownAnswer):
        abort(404)
    log("change", "answer", answer.id, {"key": key, "revert_to": int(number), "version": answer.version})
    session.commit()
    flash(
        f"La réponse est revenue au texte de la version {number}. L'assistant l'envoie dès le prochain message.", "info"
    )
    return redirect(url_for("answers.edit", cle=key))


def _back(default: str):
    target = request.form.get("retour", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else default)


@bp.route("/reponses/verifiee", methods=["POST"])
def mark_checked():
    session = db()
    key = request.form.get("cle", "")
    answer = _answer_or_404(key)
    store.mark_checked(session, key, actor())
    log("checked", "answer", answer.id, {"key": key, "checked_on": answer.checked_on.isoformat()})
    session.commit()
    flash(f"« {key} » est marquée vérifiée aujourd'hui.", "info")
    return _back(url_for("answers.edit", cle=key))


@bp.route("/revue")
def review():
    session = db()
    days = desk_settings().answer_review_days
    counts = sent_counts(session)
    return render_template(
        "review.html",
        title="À vérifier",
        days=days,
        answers=due_answers(session, days, counts),
        places=due_places(session, days),
    )


@bp.route("/revue/lieu", methods=["POST"])
def mark_place():
    from bot.places.models import Place

    session = db()
    slug = request.form.get("lieu", "")
    place = session.execute(select(Place).where(Place.slug == slug)).scalar_one_or_none()
    if place is None:
        abort(404)
    review = mark_place_checked(session, slug, actor())
    log("checked", "place", place.id, {"slug": slug, "checked_on": review.checked_on.isoformat()})
    session.commit()
    flash(f"« {place.nom} » est marqué vérifié aujourd'hui.", "info")
    return _back(url_for("answers.review"))


@bp.route("/reponses/references")
def references():
    rows = list(db().execute(select(AnswerReference).order_by(AnswerReference.added_at.desc())).scalars())
    return render_template("answer_references.html", title="Références ajoutées", references=rows)
