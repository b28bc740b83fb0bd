"""The catalogue bot/texts/: every module's texts are listed, any new module is found, the contract holds."""

from __future__ import annotations

import ast
import inspect
import sys
import textwrap
from pathlib import Path

import bot.texts
from bot.settings import ROOT
from bot.texts import catalogue, modules, sms_catalogue, spoken

TEXTS_DIR = ROOT / "bot" / "texts"
# What the text modules may import from bot: each other and the two leaf modules.
ALLOWED_BOT_IMPORTS = ("bot.texts", "bot.coop", "bot.enums")


def functions_of(module) -> dict:
    """The module's own public functions (not the ones it imports)."""
    return {
        name: fn
        for name, fn in inspect.getmembers(module, inspect.isfunction)
        if fn.__module__ == module.__name__ and not name.startswith("_")
    }


def called_code_objects(run) -> set:
    """The code objects of every Python function called while `run()` runs."""
    seen = set()

    def profile(frame, event, arg):
        if event == "call":
            seen.add(frame.f_code)

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        run()
    finally:
        sys.setprofile(previous)
    return seen


def test_every_text_module_of_the_package_is_in_the_catalogue():
    files = {p.stem for p in TEXTS_DIR.glob("*.py") if not p.stem.startswith("_")}
    helpers = {"french"}  # dates the French way: used by the texts, no text of its own
    assert {m.__name__.rsplit(".", 1)[-1] for m in modules()} == files - helpers
    names = catalogue()
    for area in files - helpers:
        assert any(name.startswith(f"{area}.") for name in names), area


def test_every_text_function_of_every_module_has_an_example():
    """Each public function of a text module runs when its EXAMPLES are built (directly or inside
    another text): a text added without an example fails here, so the bench always sees it."""
    missing = []
    for module in modules():
        ran = called_code_objects(lambda: [example() for example in module.EXAMPLES.values()])
        missing += [f"{module.__name__}.{name}" for name, fn in functions_of(module).items() if fn.__code__ not in ran]
    assert missing == [], f"text functions no EXAMPLES entry calls: {missing}"


def test_every_example_is_a_short_french_text_with_its_arguments_filled():
    for name, text in catalogue().items():
        assert isinstance(text, str) and text.strip() == text and text, name
        assert "{" not in text and "}" not in text and "None" not in text, (name, text)
        assert len(text) <= 600, name


def test_spoken_and_not_gsm_name_texts_that_exist():
    names = set(catalogue())
    assert spoken() <= names and spoken(), spoken() - names
    assert bot.texts.not_gsm().keys() <= names
    assert "voice.greeting" in spoken() and "voice.help_sms" in sms_catalogue()  # the phone line's one SMS


def test_the_text_modules_read_no_settings_and_import_no_area_of_bot():
    """Callers pass names, numbers and dates; and any area may import the texts without a cycle."""
    for path in sorted(TEXTS_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported = [node.module]
            elif isinstance(node, ast.Import):
                imported = [alias.name for alias in node.names]
            else:
                if isinstance(node, ast.Name):
                    assert node.id != "get_settings", f"{path.name}:{node.lineno} reads the settings"
                continue
            for name in imported:
                if name == "bot" or name.startswith("bot."):
                    assert name.startswith(ALLOWED_BOT_IMPORTS), f"{path.name}:{node.lineno} imports {name}"


def test_a_new_module_with_examples_is_discovered(tmp_path: Path, monkeypatch):
    """Other areas add their own module (waitlist.py, feedback.py...): nothing else to register."""
    (tmp_path / "zz_waitlist.py").write_text(
        textwrap.dedent("""
        def offered_text(place_name):
            return f"Une place s'est libérée à {place_name}. Répondez OUI pour la prendre."

        EXAMPLES = {"offered": lambda: offered_text("Mairie de quartier de Borny")}
    """),
        encoding="utf-8",
    )
    (tmp_path / "zz_helper.py").write_text(
        "def helper():\n    return 'no EXAMPLES: not a text module'\n", encoding="utf-8"
    )
    monkeypatch.setattr(bot.texts, "__path__", [*bot.texts.__path__, str(tmp_path)])
    try:
        texts = catalogue()
        assert texts["zz_waitlist.offered"] == (
            "Une place s'est libérée à Mairie de quartier de Borny. Répondez OUI pour la prendre."
        )
        assert not any(name.startswith("zz_helper.") for name in texts)
    finally:
        for name in ("bot.texts.zz_waitlist", "bot.texts.zz_helper"):
            sys.modules.pop(name, None)
