"""Run Rasa's CLI with every setting exported, for `${VAR}` in endpoints/credentials.

A serving command (`run`, `shell`) runs without TensorFlow (bot/rasa_lean.py)."""

from __future__ import annotations

import sys

from bot.settings import export_for_rasa


def main(argv: list[str]) -> int:
    export_for_rasa()
    from bot import rasa_lean

    rasa_lean.install_for(argv)  # before the first import of Rasa
    from rasa.__main__ import main as rasa_main

    from bot import rasa_model_swap, rasa_speedups
    from bot.settings import get_settings

    rasa_speedups.install()
    rasa_model_swap.install(get_settings().model_path)

    sys.argv = ["rasa", *argv]
    rasa_main()
    return 0
