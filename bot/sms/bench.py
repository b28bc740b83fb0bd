"""Every text the assistant can send by SMS, with its encoding and segment count.

`python -m bot bench-sms` prints, for each text, what it costs with accent
folding on and off (SMS_FOLD_ACCENTS): GSM-7 (160 characters a segment,
153 when split) or UCS-2 (70, 67 when split). The texts are:

- every response of bot/domain/*.yml, as the SMS channel sends it (the
  `channel: twilio_sms` variations when a response has them, buttons as
  numbered choices, {slots} filled with sample values);
- the booking templates (offer, confirmation, reminder, cancellation) with
  each place of PLACES_FILE and a long French date;
- the triage routes' messages, the literal texts of the custom actions and
  the SMS channel's own texts (bot/sms/texts.py).
"""
from __future__ import annotations

import ast
import re
import statistics
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import yaml

from bot.settings import ROOT, get_settings
from bot.sms.choices import render
from bot.sms.encoding import Segments, count_segments, normalise

CHANNEL = "twilio_sms"
SAMPLE_SLOTS = {"first_name": "Marie-Christine", "neighbourhood": "Borny"}
# A long French date: "mercredi 30 septembre à 14 h 30".
SAMPLE_START = datetime(2026, 9, 30, 12, 30, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Entry:
    name: str
    text: str


def _fill(text: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: SAMPLE_SLOTS.get(m.group(1), "Marie"), text)


def domain_entries(domain_dir: Path | None = None) -> list[Entry]:
    entries = []
    for path in sorted((domain_dir or ROOT / "bot" / "domain").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, variations in (data.get("responses") or {}).items():
            variations = variations or []
            for_sms = [v for v in variations if v.get("channel") == CHANNEL]
            chosen = for_sms or [v for v in variations if not v.get("channel")]
            for index, variation in enumerate(chosen):
                if not variation.get("text"):
                    continue
                text = render(_fill(variation["text"]), variation.get("buttons")).text
                suffix = f"#{index + 1}" if len(chosen) > 1 else ""
                entries.append(Entry(f"{name}{suffix}", text))
    return entries


def _sample_places():
    from bot.places.file import read_places_file
    from bot.places.models import Place

    data = read_places_file(get_settings().places_file)
    tz = data.get("timezone", "Europe/Paris")
    return [Place(slug=p["slug"], nom=p["nom"], adresse=p["adresse"], code_postal=str(p["code_postal"]),
                  commune=p["commune"], timezone=tz) for p in data.get("places") or []]


def booking_entries() -> list[Entry]:
    from bot.booking.messages import (WHAT_TO_BRING, cancellation_text, confirmation_text,
                                      offer_text, reminder_text)
    from bot.booking.french import french_datetime

    places = _sample_places()
    entries = [Entry("booking.cancellation", cancellation_text())]
    for place in places:
        entries.append(Entry(f"booking.reminder[{place.slug}]", reminder_text(place, SAMPLE_START)))
    longest = max(places, key=lambda p: len(p.nom) + len(p.adresse) + len(p.commune))
    for thematique in [None, *WHAT_TO_BRING]:
        entries.append(Entry(f"booking.confirmation[{thematique or 'autre'}]",
                             confirmation_text(longest, SAMPLE_START, thematique, "ordinateur")))
    by_name = sorted(places, key=lambda p: -len(p.nom))[:3]
    lines = [f"{i}. {french_datetime(SAMPLE_START, p.timezone)}, {p.nom}" for i, p in enumerate(by_name, 1)]
    entries.append(Entry("booking.offer", offer_text(lines)))
    return entries


def route_entries() -> list[Entry]:
    data = yaml.safe_load(get_settings().routes_file.read_text(encoding="utf-8")) or {}
    rules = [*(data.get("routes") or []), data.get("default") or {}]
    return [Entry(f"route.{r.get('route')}", r["message"]) for r in rules if r.get("message")]


def action_entries(actions_dir: Path | None = None) -> list[Entry]:
    """Literal `utter_message(text="...")` texts of the custom actions."""
    entries = []
    for path in sorted((actions_dir or ROOT / "actions").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "utter_message":
                for keyword in node.keywords:
                    if keyword.arg == "text" and isinstance(keyword.value, ast.Constant) \
                            and isinstance(keyword.value.value, str):
                        entries.append(Entry(f"actions/{path.stem}:{node.lineno}", keyword.value.value))
    return entries


def channel_entries() -> list[Entry]:
    from bot.sms.texts import all_texts

    return [Entry(name, text) for name, text in all_texts().items()]


def every_sms_text() -> list[Entry]:
    return [*domain_entries(), *booking_entries(), *route_entries(), *action_entries(), *channel_entries()]


def cost(entry: Entry, fold: bool) -> Segments:
    return count_segments(normalise(entry.text, fold))


@dataclass(frozen=True)
class Summary:
    count: int
    gsm_share: float
    median_segments: float
    max_segments: int


def summarise(entries: list[Entry], fold: bool) -> Summary:
    costs = [cost(e, fold) for e in entries]
    return Summary(
        count=len(costs),
        gsm_share=sum(1 for c in costs if c.encoding == "GSM-7") / len(costs),
        median_segments=statistics.median(c.count for c in costs),
        max_segments=max(c.count for c in costs),
    )


def report(entries: list[Entry]) -> str:
    width = max(len(e.name) for e in entries)
    lines = [f"{'text':<{width}}  {'folding on':>16}  {'folding off':>16}"]
    for entry in entries:
        on, off = cost(entry, True), cost(entry, False)
        lines.append(f"{entry.name:<{width}}  {on.encoding:>5} {on.count:>2} seg {on.length:>4}"
                     f"  {off.encoding:>5} {off.count:>2} seg {off.length:>4}")
    lines.append("")
    for fold in (True, False):
        s = summarise(entries, fold)
        lines.append(f"folding {'on ' if fold else 'off'}: {s.count} texts, {s.gsm_share:.0%} GSM-7, "
                     f"median {s.median_segments:g} segment(s), max {s.max_segments}")
    not_gsm = [e.name for e in entries if cost(e, True).encoding != "GSM-7"]
    if not_gsm:
        lines.append("not GSM-7 even with folding: " + ", ".join(not_gsm))
    return "\n".join(lines)
