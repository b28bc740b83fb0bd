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
- a text said on the phone line and never sent by SMS is named in the module's
  `SPOKEN = {"name", ...}` (bot/voice/coverage.py checks those are speakable);
  every other text is an SMS (or a widget message, held to the same rules): GSM-7
  with accent folding and at most MAX_SEGMENTS segments, or the module's
  `NOT_GSM = {"name": "why"}` says why not. The SMS segment bench
  (`python -m bot bench-sms`) lists the SMS texts; tests/texts/ checks the rules.

The package imports nothing from `bot` but the small leaf modules `bot.coop`
and `bot.enums`: every area may import it without an import cycle.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

# The SMS segment budget of one catalogue text (bot/sms/bench.py reports against it): 3 segments
# (459 GSM-7 characters), what the desk also allows a conseiller's own text (desk.MAX_FREE_TEXT).
MAX_SEGMENTS = 3


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
    """ "area.name" -> the example text, for every text of every module."""
    texts = {}
    for module in modules():
        for name, example in module.EXAMPLES.items():
            texts[f"{area(module)}.{name}"] = example()
    return texts


def spoken() -> set[str]:
    """ "area.name" of the texts said on the phone line, never sent by SMS (each module's SPOKEN)."""
    return {f"{area(m)}.{name}" for m in modules() for name in getattr(m, "SPOKEN", ())}


def sms_catalogue() -> dict[str, str]:
    """The catalogue without the SPOKEN texts: what can go out by SMS (or in the widget)."""
    said = spoken()
    return {name: text for name, text in catalogue().items() if name not in said}


def not_gsm() -> dict[str, str]:
    """ "area.name" -> why this SMS text is not GSM-7 or is longer than MAX_SEGMENTS (each module's NOT_GSM)."""
    return {f"{area(m)}.{name}": why for m in modules() for name, why in getattr(m, "NOT_GSM", {}).items()}
