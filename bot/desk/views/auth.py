"""Logging in and out (rate-limited per account and per IP address)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from bot.desk import client_ip, db, desk_settings
from bot.desk.accounts import LoginLimit, begin_attempt, finish_attempt
from bot.staff.audit import audit

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str:
    """Only a path of this site (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or urlsplit(target).netloc:
        return url_for("agenda.index")
    return target


@bp.route("/connexion", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("agenda.index"))
    status = 200
    if request.method == "POST":
        email = request.form.get("email", "")[:200]
        password = request.form.get("password", "")[:200]
        session_db = db()
        attempt_id = begin_attempt(
            session_db,
            email,
            client_ip(),  # counted before the password is checked
            limit=LoginLimit.of(desk_settings()),
        )
        if attempt_id is None:
            flash("Trop d'essais. Attendez quelques minutes avant de réessayer.", "error")
            audit(
                session_db,
                None,
                "login_blocked",
                "account",
                None,
                {"email": email.strip().lower()[:200]},
                ip=client_ip(),
            )
            session_db.commit()
            status = 429
        else:
            user = finish_attempt(session_db, attempt_id, email, password)
            if user is None:
                flash("Adresse e-mail ou mot de passe incorrect.", "error")
                session_db.commit()
                status = 401
            else:
                session.clear()
                login_user(user)
                session.permanent = True
                audit(session_db, user, "login", "account", user.id, ip=client_ip())
                session_db.commit()
                return redirect(safe_next(request.args.get("next")))
    return render_template("login.html", title="Connexion"), status


@bp.route("/deconnexion", methods=["POST"])
def logout():
    audit(db(), current_user, "logout", "account", current_user.id, ip=client_ip())
    db().commit()
    logout_user()
    session.clear()
    flash("Vous êtes déconnecté.", "info")
    return redirect(url_for("auth.login"))
