"""Calendar feed links (bot/desk/calendar_feeds.py): the page where a
conseiller makes or revokes their feed link and a coordinateur the places',
and the feed itself, served without login to whoever holds the secret URL."""

from __future__ import annotations

import hashlib
import re

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from bot.desk import db
from bot.desk.calendar_feeds import active_feed, build_feed, create_feed, feed_for_token, revoke_feeds
from bot.desk.views import log
from bot.places.models import Conseiller, Place

bp = Blueprint("calendar", __name__)
FEED_MAX_AGE_SECONDS = 900


def _owners():
    """(kind, id, label) of every feed this user may manage."""
    session = db()
    owners = []
    if current_user.conseiller_id is not None:
        conseiller = session.get(Conseiller, current_user.conseiller_id)
        if conseiller is not None:
            owners.append(("conseiller", conseiller.id, f"Mes rendez-vous ({conseiller.name})"))
    if current_user.is_coordinateur:
        for place in session.execute(select(Place).where(Place.active.is_(True)).order_by(Place.nom)).scalars():
            owners.append(("place", place.id, place.nom))
    return owners


def _may_manage(kind: str, owner_id: int) -> bool:
    return any(k == kind and i == owner_id for k, i, _label in _owners())


def _page(new_url: str | None = None, new_label: str | None = None):
    session = db()
    rows = [
        {"kind": kind, "id": owner_id, "label": label, "feed": active_feed(session, kind, owner_id)}
        for kind, owner_id, label in _owners()
    ]
    return render_template("calendars.html", title="Calendriers", rows=rows, new_url=new_url, new_label=new_label)


def _target():
    kind = request.form.get("kind", "")
    raw = request.form.get("owner_id", "")
    if kind not in ("conseiller", "place") or not raw.isdigit() or not _may_manage(kind, int(raw)):
        abort(403)
    return kind, int(raw)


@bp.route("/calendriers")
def index():
    return _page()


@bp.route("/calendriers/lien", methods=["POST"])
def create():
    kind, owner_id = _target()
    session = db()
    token = create_feed(session, kind, owner_id, created_by=current_user.id)
    log("change", "calendar_feed", f"{kind}:{owner_id}", {"created": True})
    session.commit()
    label = next(label for k, i, label in _owners() if k == kind and i == owner_id)
    return _page(url_for("calendar.feed", token=token, _external=True), label)


@bp.route("/calendriers/revoquer", methods=["POST"])
def revoke():
    kind, owner_id = _target()
    session = db()
    count = revoke_feeds(session, kind, owner_id)
    log("change", "calendar_feed", f"{kind}:{owner_id}", {"revoked": count})
    session.commit()
    flash("Le lien est désactivé. Les calendriers abonnés ne recevront plus les rendez-vous.", "ok")
    return redirect(url_for("calendar.index"))


# DTSTAMP is the time the feed was made (METHOD:PUBLISH, RFC 5545 3.8.7.2): it changes every
# second and says nothing of the appointments, so the ETag leaves it out. A client polling an
# unchanged agenda gets 304 instead of the whole feed.
DTSTAMP_LINE = re.compile(rb"^DTSTAMP:[^\r\n]*\r?\n", re.MULTILINE)


def feed_etag(body: bytes) -> str:
    return hashlib.sha256(DTSTAMP_LINE.sub(b"", body)).hexdigest()[:32]


@bp.route("/calendrier/<token>.ics")
def feed(token: str):
    session = db()
    found = feed_for_token(session, token)
    if found is None:
        abort(404)
    settings = current_app.config["DESK_SETTINGS"]
    body = build_feed(
        session, found, public_url=settings.desk_public_url, include_names=settings.ics_include_resident_names
    )
    etag = feed_etag(body)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'inline; filename="aide-numerique.ics"'
    response.headers["Cache-Control"] = f"private, max-age={FEED_MAX_AGE_SECONDS}"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.set_etag(etag)
    return response.make_conditional(request)
