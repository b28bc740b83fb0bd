"""The web process (`python -m bot serve web`): the widget's files, its
configuration, and a demo page that looks like the city's website.

The widget itself talks to Rasa directly (bot/web/channel.py); this process
only serves static files and the short JSON configuration the widget reads
when it starts (the privacy notice, the service name), so a city can also
copy `static/` to its own web server and keep only `/widget/config.json` here.
"""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request

from bot.proxies import trust_proxies
from bot.settings import get_settings, require_safe_settings
from bot.texts.privacy import notice_text
from bot.texts.web import not_found_text

STATIC = "/widget"
# What the header's "Parler à un conseiller" button sends: a sentence the NLU
# model knows as `ask_human` (data/nlu/core.yml).
HUMAN_REQUEST = "Je veux parler à un conseiller"


def widget_server_url(host: str) -> str:
    """The Rasa server as the resident's browser reaches it.

    WIDGET_SERVER_URL when set (behind a reverse proxy); otherwise the host
    the page was served from, on RASA_PORT (a developer's machine).
    """
    s = get_settings()
    if s.widget_server_url:
        return s.widget_server_url.rstrip("/")
    hostname = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return f"{request.scheme}://{hostname}:{s.rasa_port}"


def widget_config() -> dict:
    s = get_settings()
    return {
        "service_name": s.service_name,
        "city_name": s.city_name,
        "notice": notice_text(s.service_name, s.retention_conversation_days, s.privacy_notice_url),
        "notice_url": s.privacy_notice_url,
        "human_request": HUMAN_REQUEST,
        "city_phone": s.city_contact_phone,
    }


def kiosk_seconds(value: str | None) -> int | None:
    """`?borne=N` on the demo page: kiosk mode, reset after N idle seconds."""
    if value is None:
        return None
    try:
        return max(2, min(int(value), 3600))
    except ValueError:
        return 120


def create_app() -> Flask:
    settings = require_safe_settings()
    app = Flask(__name__, static_folder="static", static_url_path=STATIC)
    trust_proxies(app, settings.trusted_proxies)
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 300
    app.json.ensure_ascii = False

    @app.get("/")
    def demo():
        s = get_settings()
        return render_template(
            "demo.html",
            server=widget_server_url(request.host),
            city_name=s.city_name,
            service_name=s.service_name,
            city_phone=s.city_contact_phone,
            kiosk=kiosk_seconds(request.args.get("borne")),
        )

    @app.get(f"{STATIC}/config.json")
    def config():
        answer = jsonify(widget_config())
        # The widget may be embedded on the city's own site (another origin).
        answer.headers["Access-Control-Allow-Origin"] = "*"
        answer.headers["Cache-Control"] = "max-age=300"
        return answer

    @app.get("/health")
    def health():
        return {"status": "ok"}

    @app.errorhandler(404)
    def not_found(_):
        return not_found_text(), 404, {"Content-Type": "text/plain; charset=utf-8"}

    return app
