"""Readable output: other projects' deprecation warnings are not printed, ours are.

Rasa 3.6 and what it pulls (Sanic, SQLAlchemy's 2.0 notices, pkg_resources, jax,
matplotlib's pyparsing calls...) print two dozen deprecation warnings at every start
of `make run`, none of which we can act on, and which hide the lines that matter.
Sanic even turns every DeprecationWarning on (`filterwarnings("once")` when imported),
so filters alone do not hold: the filter here is at the display, `warnings.showwarning`,
which no later `filterwarnings` call reorders.

Dropped: DeprecationWarning, PendingDeprecationWarning and FutureWarning (and their
subclasses) attributed to a file outside this repository's `bot/`, `actions/` and
`tests/`. Kept: every other warning, and deprecations attributed to our code (a call
of ours to a deprecated API is ours to fix; they are switched on for our modules).
`python -W ...` or PYTHONWARNINGS (any warning option) leaves everything as Python does.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OURS = tuple(str(ROOT / folder) + "/" for folder in ("bot", "actions", "tests"))
DEPRECATIONS = (DeprecationWarning, PendingDeprecationWarning, FutureWarning)

_installed = False


def is_ours(filename: str) -> bool:
    return str(filename).startswith(OURS)


def hidden(category: type[Warning], filename: str) -> bool:
    """A third party's deprecation: not printed."""
    return issubclass(category, DEPRECATIONS) and not is_ours(filename)


def quiet_third_party_deprecations() -> None:
    """Install the display filter for this process (idempotent; forked workers inherit it)."""
    global _installed
    if _installed or sys.warnoptions:
        return
    previous = warnings.showwarning

    def showwarning(message, category, filename, lineno, file=None, line=None):
        if not hidden(category, filename):
            previous(message, category, filename, lineno, file, line)

    warnings.showwarning = showwarning
    for category in (DeprecationWarning, PendingDeprecationWarning):
        warnings.filterwarnings("default", category=category, module=r"(bot|actions)(\.|$)")
    _installed = True
