"""The activity export (CSV with the columns, order and values of the Coop's own
activity export, bot/coop.py) and the statistics page's figures, with a bar chart
drawn on the server as inline SVG."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date, datetime, timedelta, timezone

from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.booking.models import Appointment, AppointmentStatus
from bot.booking.timeutil import local
from bot.coop import (
    AUTONOMIE_STARS,
    CELL_LINE_BREAK,
    GENRE_LABELS,
    MATERIEL_LABELS,
    ROLE_CONSEILLER_NUMERIQUE,
    STATUT_SOCIAL_LABELS,
    STRUCTURE_DE_REDIRECTION_LABELS,
    THEMATIQUES,
    TRANCHE_AGE_LABELS,
    TYPE_ACTIVITE_LABELS,
    TYPE_LIEU_LABELS,
    YES_NO_LABELS,
    Genre,
    StatutSocial,
    TrancheAge,
    TypeActivite,
    TypeLieu,
    thematique_label,
)
from bot.desk.coop import CSV_COLUMNS
from bot.places.models import Permanence, Place
from bot.tickets.models import Ticket

WEEKS_SHOWN = 12
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(value) -> str:
    """Spreadsheets run cells that start like a formula: neutralise them."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _labels(values, labels: dict) -> str:
    return CELL_LINE_BREAK.join(labels.get(v, v) for v in _as_list(values))


def activity_row(
    ticket: Ticket, report: dict, day: date, place: Place | None, permanence: Permanence | None, conseiller: str
) -> dict:
    """One accompaniment in the Coop export's columns and values (bot/coop.py)."""
    collectif = report.get("type") == TypeActivite.COLLECTIF
    type_lieu = report.get("type_lieu") or (TypeLieu.LIEU_ACTIVITE if place else TypeLieu.A_DISTANCE)
    autonomie = report.get("autonomie")
    orientation = report.get("orientation")
    tz = place.timezone if place else "Europe/Paris"
    recorded = local(datetime.fromisoformat(report["enregistre_le"]), tz)
    row = {
        "Date": day.strftime("%d/%m/%Y"),
        "Enregistré le": recorded.strftime("%d/%m/%Y à %H:%M"),
        "Dernière modification le": "",
        "Prénom du médiateur": conseiller,
        "Nom du médiateur": "",
        "Rôle": ROLE_CONSEILLER_NUMERIQUE,
        "ID - Conum": "",
        "Type": TYPE_ACTIVITE_LABELS.get(report.get("type") or TypeActivite.INDIVIDUEL, report.get("type")),
        "Participants": 1,
        "Canaux d’accompagnement": TYPE_LIEU_LABELS.get(type_lieu, type_lieu),
        "Nom du lieu": place.nom if place else (report.get("lieu") or ""),
        "Adresse": place.adresse if place else "",
        "Commune": place.commune if place else "",
        "Code postal": place.code_postal if place else "",
        "Code Insee": "",
        "Durée (min)": report.get("duree") or "",
        "Nom de l’atelier": (report.get("titre_atelier") or "") if collectif else "",
        "Matériel numérique utilisé": _labels(report.get("materiel"), MATERIEL_LABELS),
        "Thématique(s) d’accompagnement": _labels(report.get("thematiques"), THEMATIQUES),
        "Tags": "",
        "Nom de la démarche administrative": "",
        "Niveau d’autonomie (ou de l’atelier)": f"{AUTONOMIE_STARS[autonomie]}/{len(AUTONOMIE_STARS)}"
        if autonomie in AUTONOMIE_STARS and not collectif
        else "",
        "Bénéficiaire réorienté": "" if collectif else YES_NO_LABELS[bool(orientation)],
        "Structure de redirection": STRUCTURE_DE_REDIRECTION_LABELS.get(orientation, "") if orientation else "",
        "Commune du bénéficiaire": "",
        "Code postal du bénéficiaire": "",
        "Code Insee du bénéficiaire": "",
        "Genre du bénéficiaire": GENRE_LABELS[Genre.NON_COMMUNIQUE],
        "Tranche d’âge du bénéficiaire": TRANCHE_AGE_LABELS[TrancheAge.NON_COMMUNIQUE],
        "Statut du bénéficiaire": STATUT_SOCIAL_LABELS[StatutSocial.NON_COMMUNIQUE],
        "ID CRA": ticket.id,
    }
    assert tuple(row) == CSV_COLUMNS
    return row


def activity_rows(
    session: Session, tickets: list[Ticket], start: date | None = None, end: date | None = None
) -> list[dict]:
    """One row per ticket whose outcome was recorded, in the Coop export's columns, by date."""
    found = []
    for ticket in tickets:
        report = ticket.activity_report or {}
        if not report.get("enregistre"):
            continue
        place = session.get(Place, ticket.place_id) if ticket.place_id else None
        appointment = session.get(Appointment, ticket.appointment_id) if ticket.appointment_id else None
        tz = place.timezone if place else "Europe/Paris"
        if appointment is not None:
            day = local(appointment.start, tz).date()
        else:
            day = local(datetime.fromisoformat(report["enregistre_le"]), tz).date()
        if (start and day < start) or (end and day > end):
            continue
        permanence = session.get(Permanence, appointment.permanence_id) if appointment is not None else None
        conseiller = permanence.conseiller.name if permanence and permanence.conseiller else None
        found.append(
            (
                day,
                ticket.id,
                activity_row(ticket, report, day, place, permanence, conseiller or report.get("enregistre_par") or ""),
            )
        )
    found.sort(key=lambda item: item[:2])
    return [row for _day, _id, row in found]


def activities_csv(rows: list[dict]) -> str:
    """Semicolon-separated with a BOM, as French spreadsheets open it directly."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _safe_cell(row[k]) for k in CSV_COLUMNS})
    return "\ufeff" + out.getvalue()


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def statistics(session: Session, tickets: list[Ticket], today: date | None = None) -> dict:
    today = today or datetime.now(timezone.utc).date()
    first_week = week_start(today) - timedelta(weeks=WEEKS_SHOWN - 1)
    per_week = Counter()
    for ticket in tickets:
        per_week[week_start(local(ticket.created_at).date())] += 1
    weeks = [(first_week + timedelta(weeks=i)) for i in range(WEEKS_SHOWN)]
    places = {p.id: p.nom for p in session.execute(select(Place)).scalars()}
    appointment_ids = [t.appointment_id for t in tickets if t.appointment_id]
    statuses = Counter(
        session.execute(select(Appointment.status).where(Appointment.id.in_(appointment_ids or [-1]))).scalars()
    )
    seen, no_show = statuses[AppointmentStatus.SEEN], statuses[AppointmentStatus.NOSHOW]
    held = seen + no_show
    return {
        "total": len(tickets),
        "per_week": [(w.strftime("%d/%m"), per_week[w]) for w in weeks],
        "per_thematique": Counter(
            thematique_label(t.thematique) if t.thematique else "Non précisée" for t in tickets
        ).most_common(),
        "per_place": Counter(places.get(t.place_id, "Sans lieu") for t in tickets).most_common(),
        "done": seen,
        "no_show": no_show,
        "no_show_rate": (no_show / held) if held else None,
    }


def bar_chart_svg(pairs: list[tuple[str, int]], title: str, width: int = 640, height: int = 220) -> Markup:
    """A plain SVG bar chart (no JavaScript), labels escaped."""
    margin_left, margin_bottom, margin_top = 30, 40, 24
    n = max(len(pairs), 1)
    top = max([v for _, v in pairs] + [1])
    band = (width - margin_left) / n
    plot_height = height - margin_bottom - margin_top
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" class="chart"><title>{escape(title)}</title>',
        f'<line x1="{margin_left}" y1="{height - margin_bottom}" x2="{width}" y2="{height - margin_bottom}" stroke="#444"/>',
        f'<text x="{margin_left - 4}" y="{margin_top + 4}" text-anchor="end" font-size="11">{top}</text>',
    ]
    for i, (label, value) in enumerate(pairs):
        bar_height = plot_height * value / top
        x = margin_left + i * band + band * 0.15
        y = height - margin_bottom - bar_height
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{band * 0.7:.1f}" height="{bar_height:.1f}" fill="#1f5fa8">'
            f"<title>{escape(label)} : {value}</title></rect>"
        )
        if value:
            parts.append(
                f'<text x="{x + band * 0.35:.1f}" y="{y - 3:.1f}" text-anchor="middle" font-size="11">{value}</text>'
            )
        parts.append(
            f'<text x="{x + band * 0.35:.1f}" y="{height - margin_bottom + 14}" text-anchor="middle" '
            f'font-size="10">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
