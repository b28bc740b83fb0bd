"""`python -m bot serve rasa|actions`: start one process of the product, configured by settings."""
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


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot serve")
    parser.add_argument("process", choices=["rasa", "actions"])
    parser.add_argument("--port", type=int, help="default: RASA_PORT or ACTION_PORT")
    args = parser.parse_args(argv)
    settings = get_settings()
    export_for_rasa()
    if args.process == "rasa":
        from rasa.__main__ import main as rasa_main

        sys.argv = ["rasa", *rasa_server_args(args.port or settings.rasa_port)]
        rasa_main()
    else:
        from rasa_sdk.__main__ import main as sdk_main

        sys.argv = ["rasa_sdk", "--actions", "actions", "--port", str(args.port or settings.action_port)]
        sdk_main()
    return 0
