"""The waitlist per place (bot/waitlist/): a conseiller sees their places' lists, a coordinateur
all of them (and the entries for any place); removing an entry is audited."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from bot.booking.models import Appointment
from bot.desk import db
from bot.desk.scope import visible_place_ids
from bot.desk.views import actor, log
from bot.handoff import ticket_for_appointment
from bot.places.models import Place
from bot.residents import Resident
from bot.waitlist import service as waitlist
from bot.waitlist.models import EntryStatus, OfferStatus, WaitlistEntry, WaitlistOffer

bp = Blueprint("waitlist", __name__)


def _row(session, entry: WaitlistEntry, rank: int) -> dict:
    resident = session.get(Resident, entry.resident_id)
    appointment = session.get(Appointment, entry.appointment_id) if entry.appointment_id else None
    ticket = ticket_for_appointment(session, appointment.id) if appointment else None
    offer = (
        session.execute(
            select(WaitlistOffer).where(WaitlistOffer.entry_id == entry.id, WaitlistOffer.status == OfferStatus.PENDING)
        )
        .scalars()
        .first()
    )
    return {
        "entry": entry,
        "rank": rank,
        "first_name": resident.first_name if resident else None,
        "appointment": appointment,
        "ticket": ticket,
        "offer": offer,
    }


@bp.route("/liste-attente")
def index():
    session = db()
    ids = visible_place_ids(session, current_user)
    grouped = waitlist.entries_by_place(session, ids)
    places = {p.id: p for p in session.execute(select(Place).order_by(Place.nom)).scalars()}
    order = [pid for pid in places if ids is None or pid in ids]
    sections = []
    for place_id in order + ([None] if ids is None else []):
        entries = grouped.get(place_id, [])
        label = places[place_id].nom if place_id is not None else "Tous les lieux"
        sections.append(
            {
                "id": place_id,
                "label": label,
                "rows": [_row(session, e, rank) for rank, e in enumerate(entries, start=1)],
            }
        )
    log("view", "waitlist", None, {"places": "all" if ids is None else ids})
    session.commit()
    return render_template("waitlist.html", title="Liste d'attente", sections=sections)


@bp.route("/liste-attente/<int:entry_id>/retirer", methods=["POST"])
def remove(entry_id: int):
    session = db()
    entry = session.get(WaitlistEntry, entry_id)
    if entry is None or entry.status != EntryStatus.ACTIVE:
        abort(404)
    if not waitlist.entry_visible(entry, visible_place_ids(session, current_user)):
        abort(404)
    waitlist.remove(session, entry, actor())
    log("change", "waitlist_entry", entry.id, {"removed": True})
    session.commit()
    flash("La personne est retirée de la liste d'attente.", "ok")
    return redirect(url_for("waitlist.index"))
