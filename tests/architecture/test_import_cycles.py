"""The packages of bot/ import one another without cycles, so that each layer can be read,
tested and changed without the ones above it (README, *Layout*): for example bot/privacy's
building blocks sit below the channels, and bot/data_rights (erasure, export, retention) above them.

A cycle is reported with one import of each step, e.g.
`desk -> conversations (bot/desk/scope.py:60) -> desk (bot/conversations/hold.py:33)`.
Fix it by moving the function to the package that owns the concept, by turning the dependency
around or by passing a callable, not by hiding the import (imports inside functions count too).
"""

from __future__ import annotations

import ast
from pathlib import Path

from bot.settings import ROOT
from tests.architecture.imports import cycles, describe, import_edges


def test_the_packages_of_bot_import_one_another_without_cycles():
    found = [describe(cycle) for cycle in cycles(import_edges(ROOT))]
    assert found == [], "import cycles between packages of bot/:\n" + "\n".join(found)


def test_bot_does_not_import_the_actions():
    """actions/ (the Rasa custom actions) sits on top: it may import bot, never the reverse."""
    offenders = []
    for path in sorted((ROOT / "bot").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else ([node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            )
            if any(name == "actions" or name.startswith("actions.") for name in names):
                offenders.append(f"{path.relative_to(ROOT).as_posix()}:{node.lineno}")
    assert offenders == []


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_check_finds_a_cycle_through_a_function_level_a_relative_and_a_top_level_import(tmp_path):
    write(tmp_path, "bot/__init__.py", "")
    write(tmp_path, "bot/settings.py", "")
    write(tmp_path, "bot/sms/__init__.py", "")
    write(tmp_path, "bot/sms/status.py", "def f():\n    from bot.handoff import flag\n")
    write(tmp_path, "bot/handoff/__init__.py", "from .service import flag\nfrom bot import settings\n")
    write(tmp_path, "bot/handoff/service.py", "import bot.sms.outbound\n")
    write(tmp_path, "bot/schema.py", "from bot import handoff\n")
    write(tmp_path, "bot/places/__init__.py", "import bot.schema\n")

    found = [describe(cycle) for cycle in cycles(import_edges(tmp_path))]

    assert found == ["handoff -> sms (bot/handoff/service.py:1) -> handoff (bot/sms/status.py:2)"]


def test_a_layered_tree_has_no_cycle(tmp_path):
    write(tmp_path, "bot/privacy/hashing.py", "from bot.settings import get_settings\n")
    write(tmp_path, "bot/sms/outbound.py", "from bot.privacy.hashing import phone_hash\n")
    write(tmp_path, "bot/data_rights/erasure.py", "from bot.sms import outbound\nfrom bot.privacy import hashing\n")

    assert cycles(import_edges(tmp_path)) == []
