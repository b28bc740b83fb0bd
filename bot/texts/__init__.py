"""The catalogue of every text sent to residents outside the assistant's domain answers.

The domain's responses (bot/domain/*.yml) and the answers kept in the database
(bot/answers) stay where they are. Everything else the assistant, the channels,
the jobs and the desk send to a resident (and the few SMS sent to conseillers)
is written here, one module per area (sms.py, booking.py, desk.py, web.py,
places.py, holds.py, voice.py, reminders.py, notify.py, actions.py, ...).

The contract of a text module:

- each text is a plain function that takes what it needs as arguments
  (service name, city phone, place, dates...) and returns short French text
  (vouvoiement, plain words, GSM-7 where it can); the settings are never read
  here (`get_settings()`): the callers, at their entry points, pass the values;
- the module has `EXAMPLES = {"name": lambda: text_function(sample arguments)}`;
  `catalogue()` finds every module of this package that has EXAMPLES (a module
  without EXAMPLES, e.g. french.py, is a helper and is skipped), so a new area
  only adds its module;
- a text that cannot be GSM-7 (or is never sent by SMS) says why in the
  module's `NOT_GSM = {"name": "why"}`; the SMS segment bench
  (`python -m bot bench-sms`) and tests/texts/ read both.

The package imports nothing from `bot` but the small leaf modules `bot.coop`
and `bot.enums`: every area may import it without an import cycle.
"""
from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def modules() -> list[ModuleType]:
    """Every module of the package that has EXAMPLES, by name."""
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.ispkg or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if isinstance(getattr(module, "EXAMPLES", None), dict):
            found.append(module)
    return found


def area(module: ModuleType) -> str:
    return module.__name__.rsplit(".", 1)[-1]


def catalogue() -> dict[str, str]:
    """"area.name" -> the example text, for every text of every module."""
    texts = {}
    for module in modules():
        for name, example in module.EXAMPLES.items():
            texts[f"{area(module)}.{name}"] = example()
    return texts


def not_gsm() -> dict[str, str]:
    """"area.name" -> why the text is not GSM-7 (or not sent by SMS), from each module's NOT_GSM."""
    return {f"{area(m)}.{name}": why for m in modules() for name, why in getattr(m, "NOT_GSM", {}).items()}
