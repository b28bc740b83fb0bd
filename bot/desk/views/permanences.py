"""Permanences, closures and absences. Schedules and closures are the
coordinateur's; a conseiller declares their own absences."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from bot.desk import db, desk_settings
from bot.desk.permanence_admin import (
    CancelReport,
    ScheduleError,
    add_absence,
    add_closure,
    cancel_permanence_day,
    deactivate_permanence,
    update_permanence,
)
from bot.desk.scope import can_manage_absences_of, visible_place_ids
from bot.desk.views import actor, log, require_coordinateur
from bot.places.models import Absence, Closure, Conseiller, Permanence, Place
from bot.sms.outbound import SmsConfig

bp = Blueprint("permanences", __name__)


def _report_text(report: CancelReport) -> str:
    if not report.cancelled:
        return "Aucun rendez-vous n'était pris."
    return f"{report.cancelled} rendez-vous annulé(s), {report.texted} personne(s) prévenue(s) par SMS."


def _date(name: str) -> date:
    try:
        return date.fromisoformat(request.form.get(name, ""))
    except ValueError:
        raise ScheduleError("Indiquez une date valide.") from None


def _moment(day_field: str, time_field: str, default: time) -> datetime:
    day = _date(day_field)
    raw = request.form.get(time_field, "")
    try:
        moment = time.fromisoformat(raw) if raw else default
    except ValueError:
        raise ScheduleError("Indiquez une heure valide (par exemple 14:00).") from None
    return datetime.combine(day, moment, ZoneInfo(desk_settings().timezone))


@bp.route("/permanences")
def index():
    session = db()
    ids = visible_place_ids(session, current_user)
    query = select(Place).order_by(Place.nom)
    if ids is not None:
        query = query.where(Place.id.in_(ids or [-1]))
    places = list(session.execute(query).scalars())
    closures = list(
        session.execute(select(Closure).where(Closure.end_date >= date.today()).order_by(Closure.start_date)).scalars()
    )
    absence_query = select(Absence).where(Absence.end >= datetime.now(ZoneInfo("UTC"))).order_by(Absence.start)
    if not current_user.is_coordinateur:
        absence_query = absence_query.where(Absence.conseiller_id == (current_user.conseiller_id or -1))
    absences = list(session.execute(absence_query).scalars())
    conseillers = {c.id: c for c in session.execute(select(Conseiller).order_by(Conseiller.name)).scalars()}
    return render_template(
        "permanences.html",
        title="Permanences",
        places=places,
        closures=closures,
        absences=absences,
        conseillers=conseillers,
    )


def _permanence(permanence_id: int) -> Permanence:
    permanence = db().get(Permanence, permanence_id)
    if permanence is None:
        abort(404)
    return permanence


@bp.route("/permanences/<int:permanence_id>", methods=["GET", "POST"])
def edit(permanence_id: int):
    require_coordinateur()
    permanence = _permanence(permanence_id)
    status = 200
    if request.method == "POST":
        try:
            update_permanence(
                db(),
                permanence,
                schedule=request.form.get("schedule", ""),
                slot_minutes=int(request.form.get("slot_minutes") or 0),
                capacity=int(request.form.get("capacity") or 0),
                title=request.form.get("title"),
            )
        except (ScheduleError, ValueError) as error:
            db().rollback()
            flash(str(error) if isinstance(error, ScheduleError) else "Indiquez des nombres entiers.", "error")
            status = 400
        else:
            log("change", "permanence", permanence.id, {"schedule": permanence.schedule})
            db().commit()
            flash("Horaires enregistrés. Les créneaux proposés par l'assistant suivent déjà.", "info")
            return redirect(url_for("permanences.edit", permanence_id=permanence.id))
    return render_template(
        "permanence.html", title=f"Permanence {permanence.slug}", permanence=permanence, form=request.form
    ), status


@bp.route("/permanences/<int:permanence_id>/annuler-jour", methods=["POST"])
def cancel_day(permanence_id: int):
    require_coordinateur()
    permanence = _permanence(permanence_id)
    try:
        day = _date("jour")
        _absence, report = cancel_permanence_day(
            db(), permanence, day, actor(), request.form.get("motif"), sms=SmsConfig.of(desk_settings())
        )
    except ScheduleError as error:
        db().rollback()
        flash(str(error), "error")
        return redirect(url_for("permanences.edit", permanence_id=permanence.id))
    log("change", "permanence", permanence.id, {"cancelled_day": day.isoformat(), "appointments": report.cancelled})
    db().commit()
    flash(f"Permanence du {day.strftime('%d/%m/%Y')} annulée. {_report_text(report)}", "info")
    return redirect(url_for("permanences.edit", permanence_id=permanence.id))


@bp.route("/permanences/<int:permanence_id>/arreter", methods=["POST"])
def stop(permanence_id: int):
    require_coordinateur()
    permanence = _permanence(permanence_id)
    report = deactivate_permanence(db(), permanence, actor(), sms=SmsConfig.of(desk_settings()))
    log("change", "permanence", permanence.id, {"active": False, "appointments": report.cancelled})
    db().commit()
    flash(f"Permanence arrêtée. {_report_text(report)}", "info")
    return redirect(url_for("permanences.index"))


@bp.route("/permanences/<int:permanence_id>/reprendre", methods=["POST"])
def resume(permanence_id: int):
    require_coordinateur()
    permanence = _permanence(permanence_id)
    permanence.active = True
    log("change", "permanence", permanence.id, {"active": True})
    db().commit()
    flash("Permanence reprise.", "info")
    return redirect(url_for("permanences.index"))


@bp.route("/lieux/<int:place_id>/fermetures", methods=["POST"])
def add_place_closure(place_id: int):
    require_coordinateur()
    place = db().get(Place, place_id) or abort(404)
    try:
        start = _date("debut")
        end = _date("fin") if request.form.get("fin") else start
        closure, report = add_closure(
            db(), place, start, end, request.form.get("motif"), actor(), sms=SmsConfig.of(desk_settings())
        )
    except ScheduleError as error:
        db().rollback()
        flash(str(error), "error")
        return redirect(url_for("permanences.index"))
    log("change", "closure", closure.id, {"place": place.id, "appointments": report.cancelled})
    db().commit()
    flash(f"Fermeture enregistrée. {_report_text(report)}", "info")
    return redirect(url_for("permanences.index"))


@bp.route("/fermetures/<int:closure_id>/supprimer", methods=["POST"])
def delete_closure(closure_id: int):
    require_coordinateur()
    closure = db().get(Closure, closure_id) or abort(404)
    db().delete(closure)
    log("change", "closure", closure_id, {"deleted": True})
    db().commit()
    flash("Fermeture supprimée.", "info")
    return redirect(url_for("permanences.index"))


@bp.route("/absences", methods=["POST"])
def add_conseiller_absence():
    raw = request.form.get("conseiller", "")
    conseiller_id = int(raw) if raw.isdigit() else current_user.conseiller_id
    if conseiller_id is None or not can_manage_absences_of(current_user, conseiller_id):
        abort(403)
    conseiller = db().get(Conseiller, conseiller_id) or abort(404)
    try:
        start = _moment("debut", "debut_heure", time(0))
        end = (
            _moment("fin", "fin_heure", time(23, 59))
            if request.form.get("fin")
            else _moment("debut", "fin_heure", time(23, 59))
        )
        absence, report = add_absence(
            db(), conseiller, start, end, request.form.get("motif"), actor(), sms=SmsConfig.of(desk_settings())
        )
    except ScheduleError as error:
        db().rollback()
        flash(str(error), "error")
        return redirect(url_for("permanences.index"))
    log("change", "absence", absence.id, {"conseiller": conseiller.id, "appointments": report.cancelled})
    db().commit()
    flash(f"Absence enregistrée. {_report_text(report)}", "info")
    return redirect(url_for("permanences.index"))


@bp.route("/absences/<int:absence_id>/supprimer", methods=["POST"])
def delete_absence(absence_id: int):
    absence = db().get(Absence, absence_id) or abort(404)
    if not can_manage_absences_of(current_user, absence.conseiller_id):
        abort(403)
    db().delete(absence)
    log("change", "absence", absence_id, {"deleted": True})
    db().commit()
    flash("Absence supprimée.", "info")
    return redirect(url_for("permanences.index"))
