"""`python -m bot serve rasa|actions|web|desk`: start one process of the product, configured by settings.

Each process first refuses to start with a default secret in production
(`require_safe_settings`). The Rasa server, the action server and the desk
listen on LISTEN_HOST (127.0.0.1 by default: `make run` opens nothing to the
network; the images set 0.0.0.0 and the network rules of deploy/ decide who
reaches what).

The desk and the web page run under gunicorn (bot/wsgi_server.py), on the desk's
Python (.venv-desk, the `desk` image); `--dev` gives Werkzeug's development server.
Only `rasa` and `actions` import Rasa, and only once chosen.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bot.settings import ROOT, export_for_rasa, get_settings, require_safe_settings


def rasa_endpoints(settings) -> Path:
    """bot/endpoints.yml, with the model server's `models:` section when MODEL_SERVER_URL is set
    (bot/rasa_model_swap.py: every Rasa process pulls the model in service)."""
    endpoints = ROOT / "bot" / "endpoints.yml"
    if not settings.model_server_url:
        return endpoints
    from bot.rasa_model_swap import endpoints_with_model_server

    return endpoints_with_model_server(endpoints, Path(tempfile.mkdtemp(prefix="aidenum-rasa-")))


def rasa_server_args(port: int, host: str | None = None) -> list[str]:
    settings = get_settings()
    return [
        "run",
        "--model",
        str(settings.model_path),
        "--endpoints",
        str(rasa_endpoints(settings)),
        "--credentials",
        str(ROOT / "bot" / "credentials.yml"),
        "--interface",
        host or settings.listen_host,
        "--port",
        str(port),
        "--cors",
        "*",
    ]


def serve_desk(host: str, port: int, dev: bool = False) -> int:
    """The conseillers' desk: gunicorn, or Werkzeug's threaded server with `--dev`."""
    from bot.desk import create_app

    if not dev:
        from bot.wsgi_server import serve_wsgi

        return serve_wsgi(create_app, host, port, "desk")
    create_app().run(host=host, port=port, threaded=True, debug=False, use_reloader=False)
    return 0


def serve_web(host: str, port: int, dev: bool = False) -> int:
    """The widget's files and demo page: gunicorn, or Werkzeug's with `--dev`."""
    from bot.web import app

    if not dev:
        from bot.wsgi_server import serve_wsgi

        return serve_wsgi(app.create_app, host, port, "web")
    app.create_app().run(host=host, port=port, threaded=True, use_reloader=False)
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot serve")
    parser.add_argument("process", choices=["rasa", "actions", "web", "desk"])
    parser.add_argument("--port", type=int, help="default: RASA_PORT, ACTION_PORT, WEB_PORT or DESK_PORT")
    parser.add_argument("--host", help="address to listen on (default: LISTEN_HOST, 127.0.0.1)")
    parser.add_argument(
        "--dev", action="store_true", help="desk and web: Werkzeug's development server instead of gunicorn"
    )
    args = parser.parse_args(argv)
    settings = require_safe_settings(get_settings())
    host = args.host or settings.listen_host
    if args.process == "desk":
        return serve_desk(host, args.port or settings.desk_port, args.dev)
    if args.process == "web":
        return serve_web(host, args.port or settings.web_port, args.dev)
    if args.process == "rasa":
        from bot.cli import rasa_cli

        return rasa_cli.main(rasa_server_args(args.port or settings.rasa_port, host))
    export_for_rasa()
    from bot.action_server import serve

    serve(host, args.port or settings.action_port, settings.action_server_token)
    return 0
