"""`python -m bot serve rasa|actions|web|desk`: start one process of the product, configured by settings."""
from __future__ import annotations

import argparse
import sys

from bot.settings import ROOT, export_for_rasa, get_settings


def rasa_server_args(port: int) -> list[str]:
    settings = get_settings()
    return [
        "run",
        "--model", str(settings.model_path),
        "--endpoints", str(ROOT / "bot" / "endpoints.yml"),
        "--credentials", str(ROOT / "bot" / "credentials.yml"),
        "--port", str(port),
        "--cors", "*",
    ]


def serve_desk(host: str, port: int) -> int:
    """The conseillers' desk on Werkzeug's threaded server (enough for a structure's team)."""
    from bot.desk import create_app

    create_app().run(host=host, port=port, threaded=True, debug=False, use_reloader=False)
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot serve")
    parser.add_argument("process", choices=["rasa", "actions", "web", "desk"])
    parser.add_argument("--port", type=int, help="default: RASA_PORT, ACTION_PORT, WEB_PORT or DESK_PORT")
    parser.add_argument("--host", default="127.0.0.1", help="desk only: address to listen on")
    args = parser.parse_args(argv)
    settings = get_settings()
    if args.process == "desk":
        return serve_desk(args.host, args.port or settings.desk_port)
    if args.process == "web":
        from bot.web.app import serve

        serve(args.port or settings.web_port)
        return 0
    if args.process == "rasa":
        from bot.cli import rasa_cli

        return rasa_cli.main(rasa_server_args(args.port or settings.rasa_port))
    export_for_rasa()
    from rasa_sdk.__main__ import main as sdk_main

    sys.argv = ["rasa_sdk", "--actions", "actions", "--port", str(args.port or settings.action_port)]
    sdk_main()
    return 0
