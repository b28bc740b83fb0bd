"""The interpreters the product runs on, for tests that start its processes for real:
Rasa and the action server on .venv's Python 3.10 (the tests' own interpreter), the
desk, the web page and the jobs on .venv-desk's (README, "Runtimes")."""

from __future__ import annotations

import sys

from bot.settings import ROOT

DESK_VENV_PYTHON = ROOT / ".venv-desk" / "bin" / "python"


def desk_python() -> str:
    """.venv-desk's interpreter, as the Procfile uses it; the tests' own before `make setup` made it."""
    return str(DESK_VENV_PYTHON) if DESK_VENV_PYTHON.exists() else sys.executable
