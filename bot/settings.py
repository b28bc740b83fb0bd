"""Every setting of the product, read in this one module.

Values come from the process environment, then from a `.env` file at the
repository root (python-dotenv; the environment wins). Every setting has a
default that works on a developer's machine with no credentials: SQLite,
no Redis, SMS written to a local outbox. `.env.example` documents each one.

In production (APP_ENV=production, or an https PUBLIC_URL) every process
refuses to start with a default, empty or short secret (`require_safe_settings`,
called by each entry point), so nothing is ever signed or hashed with a key
that is in this repository. `make run` writes random local secrets into `.env`
once (`python -m bot local-secrets`).

Rasa reads `bot/endpoints.yml` and `bot/credentials.yml` with `${VAR}`
substitution and fails on unset variables, so `export_for_rasa()` puts the
defaults into the environment before Rasa starts (see `python -m bot rasa`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path

from dotenv import load_dotenv

ROOT = Path(__file__).resolve().parent.parent

# Defaults, one per setting. The keys are the environment variable names.
DEFAULTS: dict[str, str] = {
    # Where things run. APP_ENV: production, development, or empty (production when PUBLIC_URL is https).
    "APP_ENV": "",
    "PUBLIC_URL": "http://localhost:5005",
    # The address the Rasa server, the action server and the desk listen on.
    "LISTEN_HOST": "127.0.0.1",
    # Reverse proxies in front of the desk and the web page whose X-Forwarded-For is trusted.
    "TRUSTED_PROXIES": "0",
    "RASA_PORT": "5005",
    "ACTION_PORT": "5055",
    "ACTION_ENDPOINT_URL": "http://localhost:5055/webhook",
    # Shared secret Rasa sends to the action server (Authorization: Bearer); empty: no check (local only).
    "ACTION_SERVER_TOKEN": "",
    # Rasa's plain `rest` channel (no screening, any sender id): tests and the benchmark only.
    "RASA_REST_CHANNEL": "false",
    "DESK_PORT": "8000",
    "WEB_PORT": "8080",
    "WIDGET_SERVER_URL": "",
    # Storage: one database for Rasa's tracker store and our own tables.
    "DATABASE_URL": f"sqlite:///{ROOT / 'var' / 'assistant.db'}",
    "REDIS_URL": "",
    # Rasa server processes (Sanic workers) of one instance; more than one needs REDIS_URL.
    "SANIC_WORKERS": "1",
    # The model that `make run` trains and serves.
    "MODEL_PATH": str(ROOT / "models" / "current.tar.gz"),
    # Retraining (bot/retrain/): where the worker keeps the models it trains and their cache.
    "MODEL_STORE_DIR": str(ROOT / "var" / "models"),
    # The model server Rasa pulls the model in service from (empty: Rasa serves MODEL_PATH only),
    # every MODEL_PULL_SECONDS; the worker serves it on MODEL_SERVER_PORT, behind MODEL_SERVER_TOKEN.
    "MODEL_SERVER_URL": "http://127.0.0.1:5056/model",
    "MODEL_SERVER_PORT": "5056",
    "MODEL_SERVER_TOKEN": "",
    "MODEL_PULL_SECONDS": "10",
    # A new model goes in service only when no headline figure loses more than this many messages.
    "RETRAIN_TOLERANCE": "1",
    "RETRAIN_POLL_SECONDS": "5",
    # Where the NLU keeps what it computes once per machine (bot/nlu/french.py).
    "NLU_CACHE_DIR": str(ROOT / "var" / "cache"),
    # The city.
    "CITY_NAME": "Ville de Metz",
    "SERVICE_NAME": "Aide numérique de Metz",
    "CITY_CONTACT_PHONE": "03 87 55 50 00",
    "PLACES_FILE": str(ROOT / "data" / "places" / "metz.yml"),
    "ROUTES_FILE": str(ROOT / "data" / "routes" / "metz.yml"),
    "TIMEZONE": "Europe/Paris",
    "PRIVACY_NOTICE_URL": "https://metz.fr/aide-numerique/donnees-personnelles",
    # Twilio. Empty credentials: outbound SMS go to the local outbox.
    "TWILIO_ACCOUNT_SID": "",
    "TWILIO_AUTH_TOKEN": "",
    "TWILIO_FROM_NUMBER": "",
    "TWILIO_MESSAGING_SERVICE_SID": "",
    "TWILIO_HTTP_CLIENT": "",
    "SMS_DEFAULT_REGION": "FR",
    "SMS_FOLD_ACCENTS": "true",
    "SMS_RATE_LIMIT_PER_HOUR": "30",
    "SMS_WEBHOOK_TIMEOUT_SECONDS": "10",
    # Who runs the service and how to reach them (the CONTACT keyword); empty: the city's standard.
    "SERVICE_CONTACT": "",
    # What residents are told: the number they text (a short code) and the phone line's number.
    # Empty: TWILIO_FROM_NUMBER, and CITY_CONTACT_PHONE.
    "SMS_PUBLIC_NUMBER": "",
    "VOICE_NUMBER": "",
    # The phone line (bot/voice/).
    "VOICE_TTS_VOICE": "Polly.Lea",
    "VOICE_MIN_CONFIDENCE": "0.5",
    "VOICE_MAX_TURNS": "40",
    "VOICE_GATHER_TIMEOUT_SECONDS": "6",
    "VOICE_TRANSFER_PLACE": "",
    # Booking.
    "BOOKING_MIN_NOTICE_HOURS": "2",
    "BOOKING_HORIZON_DAYS": "28",
    "BOOKING_MAX_FUTURE_APPOINTMENTS": "2",
    "REMINDER_HOURS_BEFORE": "48",
    "REMINDER_QUIET_START": "20:00",
    "REMINDER_QUIET_END": "09:00",
    # Waitlist (bot/waitlist/): how long an entry lasts without an appointment, how long an offer waits.
    "WAITLIST_DAYS": "14",
    "WAITLIST_OFFER_MINUTES": "120",
    "WAITLIST_OFFER_BATCH": "3",
    # Personal data.
    "HASH_KEY": "change-me-in-production",
    "RETENTION_CONVERSATION_DAYS": "90",
    "RETENTION_TICKET_DAYS": "365",
    "RETENTION_SMS_DAYS": "90",
    "RETENTION_DESK_LOG_DAYS": "365",
    # Living answers: an answer or a place not checked for this many days is due for review.
    "ANSWER_REVIEW_DAYS": "90",
    # Learning from residents (bot/review/): the share of answers followed by "Cette réponse
    # vous aide ? 1 Oui 2 Non" (0..1), and the margin (best - second confidence) under which an
    # answered message goes to the review inbox.
    "FEEDBACK_RATE": "0.25",
    "REVIEW_MARGIN": "0.15",
    # Desk.
    "DESK_SECRET_KEY": "dev-only-change-me",
    "DESK_PUBLIC_URL": "http://localhost:8000",
    "DESK_COOKIE_SECURE": "true",
    "DESK_LOGIN_MAX_FAILURES": "5",
    "DESK_LOGIN_WINDOW_MINUTES": "15",
    "DESK_NOTIFY_CHANNEL": "email",
    "DESK_NOTIFY_MAX_AGE_HOURS": "48",
    "HUMAN_HOLD_HOURS": "24",
    # Calendar feeds (bot/desk/calendar_feeds.py): the resident's first name in event titles.
    "ICS_INCLUDE_RESIDENT_NAMES": "false",
    # Webhooks (bot/webhooks/): production refuses private and loopback receivers unless this is true.
    "WEBHOOK_ALLOW_PRIVATE": "false",
    "WEBHOOK_TIMEOUT_SECONDS": "5",
    "SMTP_HOST": "",
    "SMTP_PORT": "25",
    "SMTP_USER": "",
    "SMTP_PASSWORD": "",
    "SMTP_STARTTLS": "false",
    "SMTP_FROM": "aide-numerique@localhost",
    "LOG_LEVEL": "INFO",
}


def _truthy(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "oui", "on"}


@dataclass(frozen=True)
class Settings:
    app_env: str
    public_url: str
    listen_host: str
    trusted_proxies: int
    rasa_port: int
    action_port: int
    action_endpoint_url: str
    action_server_token: str
    rasa_rest_channel: bool
    desk_port: int
    web_port: int
    widget_server_url: str
    database_url: str
    redis_url: str
    sanic_workers: int
    model_path: Path
    model_store_dir: Path
    model_server_url: str
    model_server_port: int
    model_server_token: str
    model_pull_seconds: int
    retrain_tolerance: float
    retrain_poll_seconds: float
    nlu_cache_dir: Path
    city_name: str
    service_name: str
    city_contact_phone: str
    places_file: Path
    routes_file: Path
    timezone: str
    privacy_notice_url: str
    twilio_account_sid: str
    twilio_auth_token: str
    twilio_from_number: str
    twilio_messaging_service_sid: str
    twilio_http_client: str
    sms_default_region: str
    sms_fold_accents: bool
    sms_rate_limit_per_hour: int
    sms_webhook_timeout_seconds: int
    service_contact: str
    sms_public_number: str
    voice_number: str
    voice_tts_voice: str
    voice_min_confidence: float
    voice_max_turns: int
    voice_gather_timeout_seconds: int
    voice_transfer_place: str
    booking_min_notice_hours: int
    booking_horizon_days: int
    booking_max_future_appointments: int
    reminder_hours_before: int
    reminder_quiet_start: str
    reminder_quiet_end: str
    waitlist_days: int
    waitlist_offer_minutes: int
    waitlist_offer_batch: int
    hash_key: str
    retention_conversation_days: int
    retention_ticket_days: int
    retention_sms_days: int
    retention_desk_log_days: int
    answer_review_days: int
    feedback_rate: float
    review_margin: float
    desk_secret_key: str
    desk_public_url: str
    desk_cookie_secure: bool
    desk_login_max_failures: int
    desk_login_window_minutes: int
    desk_notify_channel: str
    desk_notify_max_age_hours: int
    human_hold_hours: int
    ics_include_resident_names: bool
    webhook_allow_private: bool
    webhook_timeout_seconds: float
    smtp_host: str
    smtp_port: int
    smtp_user: str
    smtp_password: str
    smtp_starttls: bool
    smtp_from: str
    log_level: str
    raw: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def twilio_enabled(self) -> bool:
        return bool(self.twilio_account_sid and self.twilio_auth_token)

    @property
    def production(self) -> bool:
        return is_production(self.app_env, self.public_url)


def is_production(app_env: str, public_url: str) -> bool:
    """Stated (APP_ENV=production) or inferred from an https PUBLIC_URL."""
    return (app_env or "").strip().lower() in {"production", "prod"} or (public_url or "").strip().lower().startswith(
        "https://"
    )


def _convert(name: str, kind, value: str):
    if kind in (int, "int"):
        return int(value)
    if kind in (bool, "bool"):
        return _truthy(value)
    if kind in (float, "float"):
        return float(value)
    if kind in (Path, "Path"):
        return Path(value)
    return value


def read_environment(env_file: Path | None = None) -> dict[str, str]:
    """The raw values: environment first, then `.env`, then defaults."""
    load_dotenv(env_file or ROOT / ".env", override=False)
    return {key: os.environ.get(key, default) for key, default in DEFAULTS.items()}


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    raw = read_environment()
    values = {}
    for f in fields(Settings):
        if f.name == "raw":
            continue
        values[f.name] = _convert(f.name, f.type, raw[f.name.upper()])
    return Settings(raw=raw, **values)


def reload_settings() -> Settings:
    """Forget the cached settings (tests change the environment)."""
    get_settings.cache_clear()
    return get_settings()


def export_for_rasa() -> None:
    """Put every setting into the environment, for Rasa's `${VAR}` substitution.

    Rasa's telemetry and crash reports (which would send data to a third
    party) are switched off: residents' messages never leave the city's servers.
    """
    for key, value in read_environment().items():
        os.environ.setdefault(key, value)
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


# --- secrets ------------------------------------------------------------------------
MIN_SECRET_LENGTH = 32
GENERATE = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'
# The secrets every production process needs, and the values shipped in this repository.
# MODEL_SERVER_TOKEN: the model server hands out the trained model, whose training data holds the
# reviewed (redacted) messages of residents: never without a bearer token.
SECRETS = ("HASH_KEY", "DESK_SECRET_KEY", "ACTION_SERVER_TOKEN", "MODEL_SERVER_TOKEN")
KNOWN_DEFAULTS = frozenset(
    {
        DEFAULTS["HASH_KEY"],
        DEFAULTS["DESK_SECRET_KEY"],
        "CHANGE-ME-long-random",
        "changeme",
        "secret",
    }
)


def is_default_secret(value: str) -> bool:
    """Empty, or a value written in this repository (settings, examples)."""
    value = (value or "").strip()
    return not value or value in KNOWN_DEFAULTS or "change-me" in value.lower() or "changeme" in value.lower()


def weak_secret(value: str) -> str | None:
    """Why `value` cannot be a production secret (empty, a default, short), or None."""
    value = (value or "").strip()
    if not value:
        return "is empty"
    if is_default_secret(value):
        return "is a default value"
    if len(value) < MIN_SECRET_LENGTH:
        return f"is shorter than {MIN_SECRET_LENGTH} characters"
    return None


def unsafe_settings(settings: Settings) -> list[str]:
    """What makes these settings unfit for production (nothing when not in production)."""
    if not settings.production:
        return []
    problems = []
    for name in SECRETS:
        why = weak_secret(getattr(settings, name.lower()))
        if why:
            problems.append(f"{name} {why}: set it to a random value ({GENERATE})")
    if settings.twilio_account_sid.strip() and not settings.twilio_auth_token.strip():
        problems.append(
            "TWILIO_ACCOUNT_SID is set but TWILIO_AUTH_TOKEN is empty: copy the auth token from the Twilio console"
        )
    return problems


class UnsafeSettings(SystemExit):
    """Raised at the start of a process that must not run with these settings."""


def require_safe_settings(settings: Settings | None = None) -> Settings:
    """Every process calls this before it starts: in production, a weak secret stops it with one line."""
    settings = settings or get_settings()
    problems = unsafe_settings(settings)
    if problems:
        raise UnsafeSettings(
            "Refusing to start in production (APP_ENV=production or an https PUBLIC_URL): " + "; ".join(problems)
        )
    return settings
