"""The Webhooks page (coordinateur only): subscriptions of the city's systems to the
appointments' and tickets' events (bot/webhooks/), and each one's delivery log.

A secret is shown once, on the page that answers its creation or rotation; the
log shows the event's kind, id and time, the HTTP status, the attempts, the
next try and our own words for the last error, never a payload.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from bot.desk import db
from bot.desk.views import log, require_coordinateur
from bot.webhooks import subscriptions
from bot.webhooks.delivery import MAX_ATTEMPTS, redeliver
from bot.webhooks.models import DeliveryStatus, EventType, WebhookDelivery, WebhookSubscription
from bot.webhooks.urls import RefusedURL

bp = Blueprint("webhooks", __name__)


@bp.before_request
def _coordinateur_only():
    require_coordinateur()


def _settings():
    return current_app.config["DESK_SETTINGS"]


def _subscription(subscription_id: int) -> WebhookSubscription:
    found = db().get(WebhookSubscription, subscription_id)
    if found is None:
        abort(404)
    return found


def _index(
    status: int = 200,
    new_secret: str | None = None,
    secret_for: WebhookSubscription | None = None,
    form: dict | None = None,
):
    session = db()
    rows = [{"sub": s, "counts": subscriptions.counts(session, s.id)} for s in subscriptions.all_subscriptions(session)]
    return render_template(
        "webhooks.html",
        title="Webhooks",
        rows=rows,
        labels=subscriptions.LABELS,
        kinds=list(EventType),
        new_secret=new_secret,
        secret_for=secret_for,
        form=form or {},
        production=_settings().production,
    ), status


@bp.route("/webhooks")
def index():
    return _index()


@bp.route("/webhooks", methods=["POST"])
def create():
    settings = _settings()
    session = db()
    form = {
        "name": request.form.get("name", ""),
        "url": request.form.get("url", ""),
        "kinds": request.form.getlist("kinds"),
    }
    try:
        subscription, secret = subscriptions.create(
            session,
            name=form["name"],
            url=form["url"],
            kinds=form["kinds"],
            key=settings.hash_key,
            production=settings.production,
            allow_private=settings.webhook_allow_private,
            created_by=current_user.id,
        )
    except RefusedURL as refused:
        flash(str(refused), "error")
        return _index(400, form=form)
    log("change", "webhook", subscription.id, {"created": True, "kinds": subscription.kinds})
    session.commit()
    return _index(new_secret=secret, secret_for=subscription)


@bp.route("/webhooks/<int:subscription_id>/modifier", methods=["POST"])
def change(subscription_id: int):
    settings = _settings()
    subscription = _subscription(subscription_id)
    try:
        subscriptions.update(
            db(),
            subscription,
            url=request.form.get("url", ""),
            kinds=request.form.getlist("kinds"),
            production=settings.production,
            allow_private=settings.webhook_allow_private,
        )
    except RefusedURL as refused:
        db().rollback()
        flash(str(refused), "error")
        return redirect(url_for("webhooks.deliveries", subscription_id=subscription_id))
    log("change", "webhook", subscription.id, {"kinds": subscription.kinds})
    db().commit()
    flash("Abonnement enregistré.", "ok")
    return redirect(url_for("webhooks.deliveries", subscription_id=subscription_id))


@bp.route("/webhooks/<int:subscription_id>/activer", methods=["POST"])
def toggle(subscription_id: int):
    subscription = _subscription(subscription_id)
    enabled = request.form.get("enabled") == "1"
    subscriptions.set_enabled(db(), subscription, enabled)
    log("change", "webhook", subscription.id, {"enabled": enabled})
    db().commit()
    flash("Abonnement activé." if enabled else "Abonnement désactivé : plus aucun envoi.", "ok")
    return redirect(url_for("webhooks.index"))


@bp.route("/webhooks/<int:subscription_id>/secret", methods=["POST"])
def rotate(subscription_id: int):
    subscription = _subscription(subscription_id)
    secret = subscriptions.rotate(db(), subscription, _settings().hash_key)
    log("change", "webhook", subscription.id, {"secret_rotated": True})
    db().commit()
    return _index(new_secret=secret, secret_for=subscription)


@bp.route("/webhooks/<int:subscription_id>")
def deliveries(subscription_id: int):
    subscription = _subscription(subscription_id)
    return render_template(
        "webhook.html",
        title=f"Webhook — {subscription.name}",
        sub=subscription,
        log_rows=subscriptions.delivery_log(db(), subscription.id),
        labels=subscriptions.LABELS,
        kinds=list(EventType),
        max_attempts=MAX_ATTEMPTS,
        FAILED=DeliveryStatus.FAILED,
    )


@bp.route("/webhooks/<int:subscription_id>/renvoyer/<int:delivery_id>", methods=["POST"])
def resend(subscription_id: int, delivery_id: int):
    delivery = db().get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.subscription_id != subscription_id:
        abort(404)
    if delivery.status != DeliveryStatus.FAILED:
        abort(405)
    redeliver(db(), delivery)
    log("change", "webhook_delivery", delivery.id, {"resend": True})
    db().commit()
    flash("L'envoi sera retenté dans la minute.", "ok")
    return redirect(url_for("webhooks.deliveries", subscription_id=subscription_id))
