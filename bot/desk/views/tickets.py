"""Tickets: the list, the detail page and every action on a ticket."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from bot.booking.models import Appointment, AppointmentStatus
from bot.booking.offer import slot_from_dict
from bot.booking.slots import BookingWindow, next_slots
from bot.booking.timeutil import as_utc
from bot.desk import db, desk_settings
from bot.desk.coop import STATUS_LABELS, OutcomeError
from bot.desk.scope import can_see_ticket, tickets_query
from bot.desk.ticket_actions import (
    ACTION_LABELS,
    DeskAction,
    NoPhone,
    OptedOut,
    change_status,
    record_outcome,
    reschedule,
    resident_phone,
    text_resident,
)
from bot.desk.views import actor, log
from bot.handoff import SlotTaken, TooManyAppointments
from bot.places.models import Permanence, Place
from bot.residents import Resident
from bot.sms.models import OutboundMessage
from bot.sms.outbound import SmsConfig
from bot.texts.desk import MAX_FREE_TEXT, TEMPLATE_TITLES, template_text
from bot.tickets.models import Ticket

bp = Blueprint("tickets", __name__)
LIST_LIMIT = 200
RESCHEDULE_CHOICES = 6


def load_ticket(ticket_id: int) -> Ticket:
    ticket = db().get(Ticket, ticket_id)
    if ticket is None or not can_see_ticket(db(), current_user, ticket):
        abort(404)
    return ticket


def ticket_context(ticket: Ticket) -> dict:
    session = db()
    appointment = session.get(Appointment, ticket.appointment_id) if ticket.appointment_id else None
    place = session.get(Place, ticket.place_id) if ticket.place_id else None
    permanence = session.get(Permanence, appointment.permanence_id) if appointment else None
    resident = session.get(Resident, ticket.resident_id) if ticket.resident_id else None
    messages = list(
        session.execute(
            select(OutboundMessage).where(OutboundMessage.ticket_id == ticket.id).order_by(OutboundMessage.id)
        ).scalars()
    )
    materiel = (ticket.activity_report or {}).get("materiel")
    if isinstance(materiel, list):  # the recorded outcome holds a list
        materiel = materiel[0] if materiel else None
    templates = {}
    city_phone = current_app.config["DESK_SETTINGS"].city_contact_phone  # read by the app factory
    for name in TEMPLATE_TITLES:
        text = template_text(
            name,
            city_phone=city_phone,
            place=place,
            start=appointment.start if appointment else None,
            thematique=ticket.thematique,
            materiel=materiel if isinstance(materiel, str) else None,
        )
        if text:
            templates[name] = text
    return {
        "ticket": ticket,
        "appointment": appointment,
        "place": place,
        "permanence": permanence,
        "resident": resident,
        "messages": messages,
        "templates": templates,
        "tz": place.timezone if place else "Europe/Paris",
    }


@bp.route("/tickets")
def index():
    session = db()
    status = request.args.get("statut", "")
    query = tickets_query(session, current_user)
    if status in STATUS_LABELS:
        query = query.where(Ticket.status == status)
    tickets = list(session.execute(query.order_by(Ticket.created_at.desc()).limit(LIST_LIMIT)).scalars())
    places = {p.id: p for p in session.execute(select(Place)).scalars()}
    return render_template("tickets.html", title="Tickets", tickets=tickets, status=status, places=places)


@bp.route("/tickets/<int:ticket_id>")
def show(ticket_id: int):
    ticket = load_ticket(ticket_id)
    log("view", "ticket", ticket.id)
    db().commit()
    return render_template("ticket.html", title=f"Ticket n° {ticket.id}", **ticket_context(ticket))


def _done(ticket: Ticket, message: str, category: str = "info"):
    db().commit()
    flash(message, category)
    return redirect(url_for("tickets.show", ticket_id=ticket.id))


@bp.route("/tickets/<int:ticket_id>/statut", methods=["POST"])
def status(ticket_id: int):
    ticket = load_ticket(ticket_id)
    new = request.form.get("statut", "")
    if new not in DeskAction.values():
        flash("Ce changement n'est pas possible.", "error")
        return redirect(url_for("tickets.show", ticket_id=ticket.id))
    previous = ticket.status
    change_status(db(), ticket, new, actor())
    log("change", "ticket", ticket.id, {"status": [previous, new]})
    message = f"Statut : {ACTION_LABELS[DeskAction(new)]}."
    if new == DeskAction.CANCEL and ticket.appointment_id:
        message += " Le créneau est libéré."
    return _done(ticket, message)


@bp.route("/tickets/<int:ticket_id>/bilan", methods=["POST"])
def outcome(ticket_id: int):
    ticket = load_ticket(ticket_id)
    try:
        record_outcome(
            db(), ticket, actor(), request.form, request.form.getlist("thematiques"), request.form.getlist("materiel")
        )
    except OutcomeError as error:
        db().rollback()
        flash(str(error), "error")
        return render_template(
            "ticket.html", title=f"Ticket n° {ticket.id}", form=request.form, **ticket_context(load_ticket(ticket_id))
        ), 400
    log("change", "ticket", ticket.id, {"outcome": True})
    return _done(ticket, "Bilan enregistré. Le ticket est clos.")


@bp.route("/tickets/<int:ticket_id>/sms", methods=["POST"])
def sms(ticket_id: int):
    ticket = load_ticket(ticket_id)
    template = request.form.get("modele", "")
    if template:
        body = ticket_context(ticket)["templates"].get(template)
        if body is None:
            flash("Ce modèle n'existe pas pour ce ticket.", "error")
            return redirect(url_for("tickets.show", ticket_id=ticket.id))
    else:
        body = (request.form.get("texte") or "").strip()
        if not body:
            flash("Écrivez le message avant de l'envoyer.", "error")
            return redirect(url_for("tickets.show", ticket_id=ticket.id))
        if len(body) > MAX_FREE_TEXT:
            flash(f"Le message est trop long ({len(body)} caractères, {MAX_FREE_TEXT} au plus).", "error")
            return redirect(url_for("tickets.show", ticket_id=ticket.id))
    try:
        message = text_resident(
            db(), ticket, actor(), body, template=template or "libre", sms=SmsConfig.of(desk_settings())
        )
    except NoPhone:
        flash("Cette personne n'a pas donné de numéro de téléphone.", "error")
        return redirect(url_for("tickets.show", ticket_id=ticket.id))
    except OptedOut:
        log("change", "ticket", ticket.id, {"sms": "refused_opt_out"})
        return _done(ticket, "Cette personne a demandé à ne plus recevoir de SMS (STOP). Rien n'a été envoyé.", "error")
    log("change", "ticket", ticket.id, {"sms": message.id})
    if message.status == "failed":
        return _done(ticket, "Le SMS n'a pas pu partir. Réessayez plus tard.", "error")
    return _done(ticket, "SMS envoyé.")


@bp.route("/tickets/<int:ticket_id>/deplacer", methods=["GET", "POST"])
def move(ticket_id: int):
    ticket = load_ticket(ticket_id)
    session = db()
    appointment = session.get(Appointment, ticket.appointment_id) if ticket.appointment_id else None
    if appointment is None or appointment.status != AppointmentStatus.BOOKED:
        flash("Ce ticket n'a pas de rendez-vous à déplacer.", "error")
        return redirect(url_for("tickets.show", ticket_id=ticket.id))
    if request.method == "POST":
        choice = request.form.get("creneau", "")
        try:
            permanence_id, start = choice.split("@", 1)
            slot = slot_from_dict(session, {"permanence_id": int(permanence_id), "start": start})
        except (ValueError, AttributeError, TypeError):
            flash("Choisissez un créneau.", "error")
            return redirect(url_for("tickets.move", ticket_id=ticket.id))
        try:
            new = reschedule(
                session,
                ticket,
                actor(),
                slot,
                notify=request.form.get("prevenir") == "1",
                limit=desk_settings().booking_max_future_appointments,
                sms=SmsConfig.of(desk_settings()),
            )
        except (SlotTaken, TooManyAppointments):
            session.rollback()
            flash("Ce créneau vient d'être pris. Choisissez-en un autre.", "error")
            return redirect(url_for("tickets.move", ticket_id=ticket.id))
        log("change", "ticket", ticket.id, {"moved_to": new.id})
        return _done(ticket, "Rendez-vous déplacé.")
    everywhere = request.args.get("partout") == "1"
    permanence = session.get(Permanence, appointment.permanence_id)
    current = f"{appointment.permanence_id}@{as_utc(appointment.start).isoformat()}"
    slots = next_slots(
        session,
        place_ids=None if everywhere else [appointment.place_id],
        kind=permanence.kind,
        limit=RESCHEDULE_CHOICES,
        exclude=(current,),
        window=BookingWindow.of(desk_settings()),
    )
    places = {p.id: p for p in session.execute(select(Place)).scalars()}
    return render_template(
        "move.html",
        title="Déplacer le rendez-vous",
        ticket=ticket,
        appointment=appointment,
        slots=slots,
        places=places,
        everywhere=everywhere,
        has_phone=bool(resident_phone(session, ticket)),
    )
