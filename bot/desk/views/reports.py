"""The activity export (CSV, Coop columns), the statistics page and the audit log."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, render_template, request
from flask_login import current_user
from sqlalchemy import select

from bot.desk import db
from bot.desk.reports import activities_csv, activity_rows, bar_chart_svg, statistics
from bot.desk.scope import tickets_query
from bot.desk.views import log, require_coordinateur
from bot.staff.models import AuditEntry

bp = Blueprint("reports", __name__)
JOURNAL_LIMIT = 300


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@bp.route("/export")
def export_page():
    session = db()
    start, end = _date_arg("du"), _date_arg("au")
    rows = activity_rows(session, list(session.execute(tickets_query(session, current_user)).scalars()), start, end)
    return render_template("export.html", title="Export des activités", rows=rows, start=start, end=end)


@bp.route("/export.csv")
def export_csv():
    session = db()
    start, end = _date_arg("du"), _date_arg("au")
    rows = activity_rows(session, list(session.execute(tickets_query(session, current_user)).scalars()), start, end)
    log("export", "activities_csv", None, {"rows": len(rows), "du": str(start or ""), "au": str(end or "")})
    session.commit()
    name = f"activites-{(start or 'debut')}-{(end or 'fin')}.csv"
    return Response(
        activities_csv(rows),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/statistiques")
def stats():
    require_coordinateur()
    session = db()
    figures = statistics(session, list(session.execute(tickets_query(session, current_user)).scalars()))
    chart = bar_chart_svg(figures["per_week"], "Tickets par semaine")
    log("view", "statistics")
    session.commit()
    return render_template("stats.html", title="Statistiques", figures=figures, chart=chart)


@bp.route("/journal")
def journal():
    require_coordinateur()
    entries = list(db().execute(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(JOURNAL_LIMIT)).scalars())
    return render_template("journal.html", title="Journal des accès", entries=entries)
