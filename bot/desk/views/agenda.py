"""The agenda (today's and upcoming appointments, per place and per conseiller)
and the queue of new tickets."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, render_template, request
from flask_login import current_user
from sqlalchemy import select

from bot.booking.models import Appointment, AppointmentStatus
from bot.booking.timeutil import local
from bot.desk import db, desk_settings
from bot.desk.scope import tickets_query, visible_place_ids, visible_places
from bot.places.models import Conseiller, Permanence
from bot.residents import Resident
from bot.tickets.models import Ticket, TicketStatus

bp = Blueprint("agenda", __name__)
MAX_DAYS = 31


def _int_arg(name: str, default: int | None = None) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else default


def _day_arg() -> date:
    try:
        return date.fromisoformat(request.args.get("jour", ""))
    except ValueError:
        return datetime.now(ZoneInfo(desk_settings().timezone)).date()


@bp.route("/")
def index():
    session = db()
    tz = desk_settings().timezone
    first_day = _day_arg()
    days = min(max(_int_arg("jours", 1), 1), MAX_DAYS)
    place_id, conseiller_id = _int_arg("lieu"), _int_arg("conseiller")
    if conseiller_id is None and not current_user.is_coordinateur and request.args.get("tous") != "1":
        conseiller_id = current_user.conseiller_id
    start = datetime.combine(first_day, time(0), ZoneInfo(tz))
    end = start + timedelta(days=days)
    query = (
        select(Appointment, Permanence)
        .join(Permanence, Permanence.id == Appointment.permanence_id)
        .where(
            Appointment.start >= start,
            Appointment.start < end,
            Appointment.status.notin_(AppointmentStatus.cancelled()),
        )
        .order_by(Appointment.start)
    )
    ids = visible_place_ids(session, current_user)
    if ids is not None:
        query = query.where(Appointment.place_id.in_(ids or [-1]))
    if place_id:
        query = query.where(Appointment.place_id == place_id)
    if conseiller_id:
        query = query.where(Permanence.conseiller_id == conseiller_id)
    rows = []
    for appointment, permanence in session.execute(query).all():
        ticket = session.execute(select(Ticket).where(Ticket.appointment_id == appointment.id)).scalars().first()
        resident = session.get(Resident, appointment.resident_id)
        rows.append(
            {
                "appointment": appointment,
                "permanence": permanence,
                "ticket": ticket,
                "resident": resident,
                "day": local(appointment.start, tz).date(),
            }
        )
    queue = list(
        session.execute(
            tickets_query(session, current_user)
            .where(Ticket.status == TicketStatus.NOUVEAU)
            .order_by(Ticket.created_at)
        ).scalars()
    )
    conseillers = list(
        session.execute(select(Conseiller).where(Conseiller.active.is_(True)).order_by(Conseiller.name)).scalars()
    )
    return render_template(
        "agenda.html",
        title="Agenda",
        rows=rows,
        queue=queue,
        first_day=first_day,
        days=days,
        places=visible_places(session, current_user),
        conseillers=conseillers,
        place_id=place_id,
        conseiller_id=conseiller_id,
        previous_day=(first_day - timedelta(days=days)).isoformat(),
        next_day=(first_day + timedelta(days=days)).isoformat(),
    )
