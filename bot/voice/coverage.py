"""How many of the assistant's responses have a spoken form fit for the phone line.

Every response of the domain (each variation), and every text the phone line
says itself, goes through bot/voice/spoken.py as a caller with a mobile would
hear it; a form is fit when `is_speakable` (no URL, no "écrivez", short).
The test suite demands 100 %; `make bench` prints the figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.settings import ROOT
from bot.voice.spoken import is_speakable, speak
from bot.yaml_files import load_yaml

DOMAIN_DIR = ROOT / "bot" / "domain"


def domain_responses(folder: Path = DOMAIN_DIR) -> list[tuple[str, dict]]:
    """(response name, variation) for every variation of every response of the domain."""
    found = []
    for path in sorted(folder.glob("*.yml")):
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
        for name, variations in (data.get("responses") or {}).items():
            for variation in variations or []:
                if variation.get("channel") not in (None, "twilio_voice"):
                    continue  # another channel's own wording (twilio_sms) is never spoken
                found.append((name, variation))
    return found


@dataclass
class Coverage:
    total: int
    fit: int
    unfit: list[tuple[str, str]]

    @property
    def share(self) -> float:
        return self.fit / self.total if self.total else 1.0


def coverage() -> Coverage:
    from bot.texts import catalogue, spoken

    unfit = []
    items = [(name, {"utter_action": name, **variation}) for name, variation in domain_responses()]
    said = spoken()  # the catalogue's texts the phone line says (bot/texts: SPOKEN)
    items += [(name, {"text": text}) for name, text in catalogue().items() if name in said]
    for name, message in items:
        for can_sms in (True, False):
            spoken = speak(message, can_sms=can_sms).text
            if not is_speakable(spoken):
                unfit.append((name, spoken))
                break
    return Coverage(len(items), len(items) - len(unfit), unfit)
