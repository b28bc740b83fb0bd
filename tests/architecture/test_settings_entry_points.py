"""Settings are read at the entry points only (README, *Configuration*): the CLI commands, the Rasa
channels, the app factories, the action server, the WSGI server, logging at start, and the stores
and components Rasa builds itself. Everything else takes what it needs as arguments (a value, or a
small dataclass such as bot.booking.slots.BookingWindow), so that it can be called and tested
without the environment.

Nor does a module outside the entry points read `bot.settings.DEFAULTS`: a default taken from there
(a module constant, a keyword default) would hide the city's configured value, or an entry point
that forgot to pass it. A domain function's parameter has no such default: it is required.
"""

from __future__ import annotations

import ast
from pathlib import Path

from bot.settings import ROOT

ENTRY_POINTS = {
    "bot/settings.py",  # defines it
    "bot/__main__.py",
    "bot/cli/*",  # one module per command
    "bot/sms_channel.py",
    "bot/web/channel.py",
    "bot/voice/channel.py",
    "bot/rest_channel.py",  # Rasa channels
    "bot/desk/__init__.py",
    "bot/web/app.py",  # app factories
    "bot/action_server.py",
    "bot/wsgi_server.py",
    "bot/logging_setup.py",
    # built by Rasa from endpoints.yml / config.yml, with no way to be handed our settings:
    "bot/rasa_stores.py",
    "bot/answers/nlg.py",
    "bot/nlu/french.py",
}

# Owned by the agent "texts" (the catalogue of texts sent to residents) while it reworks them.
OWNED_BY_TEXTS: set[str] = set()  # the catalogue bot/texts/ takes every value as an argument (tests/texts/)


def matches(relative: str, patterns: set[str]) -> bool:
    return any(relative == p or (p.endswith("/*") and relative.startswith(p[:-1])) for p in patterns)


def reads_settings(path: Path) -> list[int]:
    """Lines where the module calls (or hands on) get_settings."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Name) and node.id == "get_settings":
            lines.append(node.lineno)
        elif isinstance(node, ast.Attribute) and node.attr == "get_settings":
            lines.append(node.lineno)
    return sorted(lines)


def readers(root: Path) -> dict[str, list[int]]:
    found = {}
    for path in sorted((root / "bot").rglob("*.py")):
        lines = reads_settings(path)
        if lines:
            found[path.relative_to(root).as_posix()] = lines
    return found


def test_only_the_entry_points_read_the_settings():
    allowed = ENTRY_POINTS | OWNED_BY_TEXTS
    offenders = {module: lines for module, lines in readers(ROOT).items() if not matches(module, allowed)}
    assert offenders == {}, (
        "get_settings() outside the entry points (pass the values in from the CLI command, the channel, "
        f"the app factory or the action's run): {offenders}"
    )


def defaults_readers(root: Path) -> dict[str, list[int]]:
    """Lines where a module names `DEFAULTS` (imported from bot.settings, or `settings.DEFAULTS`)."""
    found = {}
    for path in sorted((root / "bot").rglob("*.py")):
        lines = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Name) and node.id == "DEFAULTS":
                lines.add(node.lineno)
            elif isinstance(node, ast.Attribute) and node.attr == "DEFAULTS":
                lines.add(node.lineno)
            elif isinstance(node, ast.ImportFrom) and any(alias.name == "DEFAULTS" for alias in node.names):
                lines.add(node.lineno)
        if lines:
            found[path.relative_to(root).as_posix()] = sorted(lines)
    return found


def test_only_the_entry_points_read_the_settings_defaults():
    offenders = {module: lines for module, lines in defaults_readers(ROOT).items() if not matches(module, ENTRY_POINTS)}
    assert offenders == {}, (
        "settings.DEFAULTS outside the entry points (take the configured value as an argument, with no "
        f"default, and pass it from the entry point): {offenders}"
    )


def test_a_domain_module_reading_the_defaults_is_found(tmp_path):
    (tmp_path / "bot" / "conversations").mkdir(parents=True)
    (tmp_path / "bot" / "conversations" / "hold.py").write_text(
        'from bot.settings import DEFAULTS\n\nHOLD_HOURS = int(DEFAULTS["HUMAN_HOLD_HOURS"])\n'
    )
    (tmp_path / "bot" / "booking").mkdir()
    (tmp_path / "bot" / "booking" / "slots.py").write_text(
        'from bot import settings\n\n\ndef horizon(days=settings.DEFAULTS["BOOKING_HORIZON_DAYS"]):\n    return days\n'
    )
    (tmp_path / "bot" / "cli").mkdir()
    (tmp_path / "bot" / "cli" / "secrets.py").write_text("from bot.settings import DEFAULTS\n\nprint(DEFAULTS)\n")

    found = defaults_readers(tmp_path)

    assert found == {
        "bot/booking/slots.py": [4],
        "bot/cli/secrets.py": [1, 3],
        "bot/conversations/hold.py": [1, 3],
    }
    assert not matches("bot/conversations/hold.py", ENTRY_POINTS) and matches("bot/cli/secrets.py", ENTRY_POINTS)


def test_a_domain_function_reading_the_settings_is_found(tmp_path):
    (tmp_path / "bot" / "booking").mkdir(parents=True)
    (tmp_path / "bot" / "booking" / "slots.py").write_text(
        "from bot.settings import get_settings\n\n\ndef next_slots():\n    return get_settings().booking_horizon_days\n"
    )
    (tmp_path / "bot" / "cli").mkdir()
    (tmp_path / "bot" / "cli" / "serve.py").write_text("from bot import settings\nsettings.get_settings()\n")

    found = readers(tmp_path)

    assert found == {"bot/booking/slots.py": [5], "bot/cli/serve.py": [2]}
    assert not matches("bot/booking/slots.py", ENTRY_POINTS) and matches("bot/cli/serve.py", ENTRY_POINTS)
