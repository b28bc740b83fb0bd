"""Partners who book (prescripteurs): a CCAS or France Services agent, a social worker.

A prescripteur books for a resident (their number, the need, the triage answers, a
place or a neighbourhood, a free slot from the assistant's own slot search), sees
the bookings they made and can cancel one still to come (the resident is told by
SMS; the seat goes back to the booking and the waitlist), and nothing else of the desk: every other page answers 403
(`_prescripteurs_stay_here`, one guard for the whole app), and bot/desk/scope.py
shows them only their tickets. The booking itself is the handoff core's
(`handoff.book_for_resident`); the resident gets the assistant's confirmation SMS.
"""

from __future__ import annotations

from datetime import datetime, timezone

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from bot import handoff
from bot.booking.models import Appointment, AppointmentStatus
from bot.booking.offer import offer_slots
from bot.booking.slots import BookingWindow
from bot.booking.timeutil import as_utc
from bot.coop import THEMATIQUES
from bot.desk import db, desk_settings
from bot.desk.prescription_form import MAX_NOTE, PrescriptionForm, read_form
from bot.desk.scope import tickets_query
from bot.desk.views import actor, log
from bot.handoff.report import HandoffRequest
from bot.places.models import Permanence, Place
from bot.residents import Resident, resident_for_phone
from bot.sms.outbound import SmsConfig, send_sms
from bot.texts.booking import slot_line
from bot.texts.desk import cancellation_by_prescriber_text
from bot.tickets.models import CancelledBy, Ticket
from bot.triage.questions import triage_questions
from bot.triage.routing import Route, choose_route

bp = Blueprint("prescriptions", __name__)
OFFER_SIZE = 6
LIST_LIMIT = 200
# What a prescripteur may reach besides this blueprint (the feed is a secret URL, the login public).
OPEN_TO_PRESCRIPTEURS = frozenset({"auth.login", "auth.logout", "static", "calendar.feed"})


@bp.before_app_request
def _prescripteurs_stay_here():
    if not current_user.is_authenticated or not current_user.is_prescripteur:
        return None
    endpoint = request.endpoint or ""
    if endpoint.startswith("prescriptions.") or endpoint in OPEN_TO_PRESCRIPTEURS:
        return None
    if endpoint == "agenda.index" and request.method == "GET":  # the desk's home page
        return redirect(url_for("prescriptions.index"))
    abort(403)


def _require_prescripteur() -> None:
    if not current_user.is_prescripteur:
        abort(403)


def _places() -> list[Place]:
    return list(db().execute(select(Place).where(Place.active.is_(True)).order_by(Place.nom)).scalars())


def _offer(form: PrescriptionForm, exclude: list[str]):
    """The slots the assistant would offer for this triage: its route's kind (a workshop, or an
    appointment when no workshop is free), near the place or neighbourhood, at the preferred time,
    relaxed step by step (bot/booking/offer.py)."""
    route = choose_route(form.triage, desk_settings().routes_file)
    kinds = ["atelier", "individuel"] if route.book == "atelier" else ["individuel"]
    for kind in kinds:
        offer = offer_slots(
            db(),
            thematique=form.thematique,
            neighbourhood=form.neighbourhood,
            preferred=form.triage.get("preferred_time"),
            kind=kind,
            exclude=exclude,
            place_ids=[form.place_id] if form.place_id else None,
            size=OFFER_SIZE,
            window=BookingWindow.of(desk_settings()),
        )
        if offer.slots:
            break
    return route, offer


def _slot_choices(slots) -> list[tuple[str, str]]:
    session = db()
    choices = []
    for number, slot in enumerate(slots, start=1):
        line = slot_line(number, slot, session.get(Place, slot.place_id), session.get(Permanence, slot.permanence_id))
        choices.append((slot.key(), line.split(". ", 1)[1]))
    return choices


def _page(form: PrescriptionForm | None, offer=None, excluded=(), status: int = 200):
    """The form, with what was typed and its errors, and the slots offered (computed without `excluded`)."""
    slots = offer.slots if offer else []
    return render_template(
        "prescription_form.html",
        title="Réserver pour une personne",
        form=form,
        values=form.values if form else {},
        errors=form.errors if form else {},
        thematiques=THEMATIQUES,
        questions=triage_questions(),
        places=_places(),
        max_note=MAX_NOTE,
        slots=_slot_choices(slots),
        relaxed=offer.relaxed if offer else [],
        searched=offer is not None,
        excluded=" ".join(excluded),
        seen=" ".join([*excluded, *(s.key() for s in slots)]),
    ), status


def _keys(name: str) -> list[str]:
    return [key for key in request.form.get(name, "").split() if "@" in key][:60]


@bp.route("/prescriptions")
def index():
    _require_prescripteur()
    session = db()
    tickets = list(
        session.execute(
            tickets_query(session, current_user).order_by(Ticket.created_at.desc()).limit(LIST_LIMIT)
        ).scalars()
    )
    residents = {
        r.id: r
        for r in session.execute(
            select(Resident).where(Resident.id.in_([t.resident_id for t in tickets if t.resident_id] or [-1]))
        ).scalars()
    }
    places = {p.id: p for p in session.execute(select(Place)).scalars()}
    now = datetime.now(timezone.utc)
    cancellable = {t.id for t in tickets if _still_to_come(t.appointment, now)}
    log("view", "prescriptions", None, {"count": len(tickets)})
    session.commit()
    return render_template(
        "prescriptions.html",
        title="Mes réservations",
        tickets=tickets,
        residents=residents,
        places=places,
        cancellable=cancellable,
    )


def _still_to_come(appointment: Appointment | None, now: datetime) -> bool:
    return (
        appointment is not None and appointment.status == AppointmentStatus.BOOKED and as_utc(appointment.start) > now
    )


@bp.route("/prescriptions/<int:ticket_id>/annuler", methods=["POST"])
def cancel(ticket_id: int):
    """The partner cancels a booking they made, still to come: through the handoff core (the seat is
    free at once, the ticket closed, its history says who), and the resident is told by SMS."""
    _require_prescripteur()
    session = db()
    ticket = session.execute(tickets_query(session, current_user).where(Ticket.id == ticket_id)).scalar_one_or_none()
    if ticket is None:  # not one of theirs
        abort(404)
    appointment = ticket.appointment
    if not _still_to_come(appointment, datetime.now(timezone.utc)):
        flash("Ce rendez-vous ne peut plus être annulé : il est passé ou déjà annulé.", "error")
        return redirect(url_for("prescriptions.index"))
    place = session.get(Place, appointment.place_id)
    handoff.cancel(session, appointment, by=CancelledBy.SERVICE, actor=actor(), reason="prescripteur")
    resident = session.get(Resident, ticket.resident_id) if ticket.resident_id else None
    message = None
    if resident is not None and resident.phone_e164:
        message = send_sms(
            session,
            sms=SmsConfig.of(desk_settings()),
            to_e164=resident.phone_e164,
            body=cancellation_by_prescriber_text(place, appointment.start, ticket.prescriber_structure),
            purpose="prescription",
            ticket_id=ticket.id,
            appointment_id=appointment.id,
        )
        handoff.record_sms(session, ticket, actor(), message, "annulation_prescripteur")
    log("cancel", "prescription", ticket.id, {"appointment": appointment.id, "sms": message is not None})
    session.commit()
    if message is not None:
        flash("Rendez-vous annulé. La personne est prévenue par SMS.", "info")
    else:
        flash(
            "Rendez-vous annulé. Aucun SMS n'est parti (ce numéro a demandé STOP) : prévenez la personne vous-même.",
            "error",
        )
    return redirect(url_for("prescriptions.index"))


@bp.route("/prescriptions/nouvelle", methods=["GET", "POST"])
def new():
    _require_prescripteur()
    if request.method == "GET":
        return _page(None)
    settings = current_app.config["DESK_SETTINGS"]
    form = read_form(request.form, settings.sms_default_region, {p.id for p in _places()})
    if form.errors:
        return _page(form, status=400)
    step = request.form.get("etape", "chercher")
    # "autres": the next slots; "reserver": the offer shown, computed again (the seats may have gone).
    excluded = {"autres": _keys("vus"), "reserver": _keys("exclus")}.get(step, [])
    route, offer = _offer(form, excluded)
    if step != "reserver":
        return _page(form, offer, excluded)
    chosen = request.form.get("creneau", "")
    slot = next((s for s in offer.slots if s.key() == chosen), None)
    if slot is None:
        form.errors["creneau"] = (
            "Ce créneau n'est plus libre. Choisissez-en un autre." if chosen else "Choisissez un créneau."
        )
        return _page(form, offer, excluded, status=409 if chosen else 400)
    return _book(form, slot, route, offer, excluded)


def _book(form: PrescriptionForm, slot, route: Route, offer, excluded: list[str]):
    session = db()
    resident = resident_for_phone(session, form.phone, desk_settings().hash_key)
    request_ = HandoffRequest(
        triage=form.triage,
        thematique=form.thematique,
        route=route.route,
        orientation=route.structure_de_redirection,
        first_name=form.first_name,
    )
    prescriber = handoff.Prescriber(current_user.id, current_user.structure or "", actor())
    try:
        done = handoff.book_for_resident(
            session,
            resident,
            slot,
            request_,
            prescriber,
            limit=desk_settings().booking_max_future_appointments,
            sms=SmsConfig.of(desk_settings()),
        )
    except (handoff.SlotTaken, handoff.TooManyAppointments) as error:
        session.rollback()
        if isinstance(error, handoff.TooManyAppointments):
            form.errors["telephone"] = (
                f"Cette personne a déjà {error.args[0]} rendez-vous prévus. "
                "Elle peut en annuler un en répondant ANNULER au SMS de confirmation."
            )
        elif isinstance(error, handoff.AlreadyBooked):
            form.errors["creneau"] = "Cette personne a déjà une place à cette séance. Choisissez un autre créneau."
        else:
            form.errors["creneau"] = "Ce créneau vient d'être pris. Choisissez-en un autre."
        log("refused", "prescription", None, {"reason": type(error).__name__, "slot": slot.key()})
        session.commit()
        _route, offer = _offer(form, excluded)  # the offer as it is now
        return _page(form, offer, excluded, status=409)
    log("create", "prescription", done.ticket.id, {"appointment": done.appointment.id, "sms": done.sms_sent})
    session.commit()
    place = session.get(Place, done.appointment.place_id)
    when = slot_line(1, slot, place).split(". ", 1)[1]
    if done.sms_sent:
        flash(
            f"Rendez-vous réservé : {when}. La personne reçoit la confirmation par SMS ; "
            "elle peut annuler en répondant ANNULER.",
            "info",
        )
    else:
        flash(
            f"Rendez-vous réservé : {when}. Ce numéro a demandé à ne plus recevoir de SMS (STOP) : "
            "aucun SMS n'est parti. Prévenez la personne vous-même (téléphone, courrier, sur place). "
            f"À lui dire : « {done.text} »",
            "error",
        )
    if form.note_had_secret:
        flash("Un numéro de carte, un mot de passe ou un code a été effacé de la note.", "error")
    return redirect(url_for("prescriptions.index"))


@bp.app_template_filter("masked_phone")
def masked_phone(e164: str | None) -> str:
    """'+33612345678' -> '06 •• •• •• 78': enough to tell bookings apart, no more."""
    if not e164 or len(e164) < 6:
        return "—"
    national = "0" + e164[3:] if e164.startswith("+33") else e164
    return f"{national[:2]} •• •• •• {national[-2:]}"
