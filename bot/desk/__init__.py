"""The conseillers' desk: a small Flask app where handoff tickets arrive and
the day's permanences are run.

`create_app(settings)` builds it; `python -m bot serve desk` serves it on
DESK_PORT. Every page is behind login (one guard for the whole app, so a new
route cannot be forgotten), every form carries a CSRF token, and resident
text is only ever rendered through Jinja's autoescaping.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, Request, abort, current_app, g, redirect, render_template, request, url_for
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.datastructures import ImmutableMultiDict

from bot.db import engine_for, session_factory
from bot.proxies import trust_proxies
from bot.settings import Settings, get_settings, require_safe_settings
from bot.text_cleaning import clean_text

PUBLIC_ENDPOINTS = frozenset({"auth.login", "static", "calendar.feed"})  # the feed: a secret URL
SESSION_HOURS = 10


def db():
    """The request's database session (closed at the end of the request)."""
    if "db" not in g:
        g.db = g.desk_factory()
    return g.db


def client_ip() -> str:
    """The client's address: behind TRUSTED_PROXIES proxies, the one they saw (bot/proxies.py)."""
    return (request.remote_addr or "unknown")[:64]


class CleanFormRequest(Request):
    """Every form field cleaned as residents' messages are (bot/text_cleaning.py), passwords
    excepted (they are compared as typed): a NUL in a note never reaches PostgreSQL."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        form = self.__dict__.get("form")
        if form:
            self.__dict__["form"] = ImmutableMultiDict(
                [(key, value if "password" in key else clean_text(value)) for key, value in form.items(multi=True)]
            )


def desk_settings() -> Settings:
    """The settings the app factory read (`create_app`), for the views: read once, at the entry point."""
    return current_app.config["DESK_SETTINGS"]


def create_app(settings: Settings | None = None) -> Flask:
    settings = require_safe_settings(settings or get_settings())
    app = Flask(__name__)
    app.request_class = CleanFormRequest
    trust_proxies(app, settings.trusted_proxies)
    app.config.update(
        SECRET_KEY=settings.desk_secret_key,
        SESSION_COOKIE_NAME="aidenum_desk",
        SESSION_COOKIE_SECURE=settings.desk_cookie_secure,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
        WTF_CSRF_TIME_LIMIT=SESSION_HOURS * 3600,
        MAX_CONTENT_LENGTH=256 * 1024,
        DESK_SETTINGS=settings,
    )
    factory = session_factory(engine_for(settings.database_url))

    @app.before_request
    def _open_session_factory():
        g.desk_factory = factory

    @app.teardown_appcontext
    def _close_db(_error):
        session = g.pop("db", None)
        if session is not None:
            session.rollback()
            session.close()

    login_manager = LoginManager(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def _load_user(user_id: str):
        from bot.staff.models import User

        user = db().get(User, int(user_id)) if user_id.isdigit() else None
        return user if user is not None and user.active else None

    # The login guard runs before the CSRF check: an anonymous request never
    # reaches a view, whatever its method.
    @app.before_request
    def _require_login():
        if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
            return None
        if current_user.is_authenticated:
            return None
        if request.method in ("GET", "HEAD"):
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        abort(401)

    CSRFProtect(app)

    from bot.desk.views import (
        agenda,
        answers,
        auth,
        calendars,
        conversations,
        model,
        permanences,
        prescriptions,
        privacy,
        reports,
        review,
        tickets,
        waitlist,
        webhooks,
    )

    for blueprint in (
        auth.bp,
        agenda.bp,
        tickets.bp,
        permanences.bp,
        reports.bp,
        privacy.bp,
        answers.bp,
        calendars.bp,
        conversations.bp,
        waitlist.bp,
        prescriptions.bp,
        review.bp,
        webhooks.bp,
        model.bp,
    ):
        app.register_blueprint(blueprint)

    from bot.desk import labels

    app.jinja_env.globals.update(labels.template_globals())
    app.jinja_env.filters.update(labels.template_filters())

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; "
            "form-action 'self'; frame-ancestors 'none'",
        )
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.errorhandler(CSRFError)
    def _csrf_error(_error):
        return render_template(
            "error.html",
            title="Formulaire expiré",
            message="Ce formulaire a expiré ou n'est pas valide. Rechargez la page et recommencez.",
        ), 400

    for code, title, message in (
        (401, "Connexion nécessaire", "Connectez-vous pour continuer."),
        (403, "Accès refusé", "Cette page n'est pas ouverte à votre compte."),
        (404, "Page introuvable", "Cette page n'existe pas."),
        (405, "Action impossible", "Cette action n'est pas possible ici."),
        (413, "Envoi trop gros", "Ce que vous envoyez est trop long."),
        (500, "Erreur", "Une erreur est survenue. Réessayez dans un instant."),
    ):
        app.register_error_handler(code, _error_page(title, message, code))
    return app


def _error_page(title: str, message: str, code: int):
    def handler(_error):
        return render_template("error.html", title=title, message=message), code

    return handler
