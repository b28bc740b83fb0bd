"""Every text the assistant can send by SMS, with its encoding and segment count.

`python -m bot bench-sms` prints, for each text, what it costs with accent
folding on and off (SMS_FOLD_ACCENTS): GSM-7 (160 characters a segment,
153 when split) or UCS-2 (70, 67 when split). The texts are:

- every response of bot/domain/*.yml, as the SMS channel sends it (the
  `channel: twilio_sms` variations when a response has them, buttons as
  numbered choices, {slots} filled with sample values);
- the triage routes' messages (data/routes, ROUTES_FILE: the command passes it);
- every text of the catalogue bot/texts/ but the SPOKEN ones (the SMS
  channel's texts, the booking and reminder SMS, the desk's templates and
  cancellation, the widget's, the actions' own texts, notifications...), with
  their modules' sample arguments (Metz's longest place, a long French date).

Before the catalogue, the bench parsed the actions' source for literal
`utter_message(text="...")`: it missed every f-string, the texts built in
bot/ (the desk's cancellation, the notifications) and the variants.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from pathlib import Path

from bot.settings import ROOT
from bot.sms.choices import render
from bot.sms.encoding import Segments, count_segments, normalise
from bot.texts import MAX_SEGMENTS, sms_catalogue
from bot.yaml_files import load_yaml

CHANNEL = "twilio_sms"
SAMPLE_SLOTS = {"first_name": "Marie-Christine", "neighbourhood": "Borny"}


@dataclass(frozen=True)
class Entry:
    name: str
    text: str


def _fill(text: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: SAMPLE_SLOTS.get(m.group(1), "Marie"), text)


def domain_entries(domain_dir: Path | None = None) -> list[Entry]:
    entries = []
    for path in sorted((domain_dir or ROOT / "bot" / "domain").glob("*.yml")):
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
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


def route_entries(routes_file: Path) -> list[Entry]:
    data = load_yaml(routes_file.read_text(encoding="utf-8")) or {}
    rules = [*(data.get("routes") or []), data.get("default") or {}]
    return [Entry(f"route.{r.get('route')}", r["message"]) for r in rules if r.get("message")]


def catalogue_entries() -> list[Entry]:
    """Every SMS text of bot/texts/ (catalogue names: "area.name")."""
    return [Entry(name, text) for name, text in sms_catalogue().items()]


def every_sms_text(routes_file: Path) -> list[Entry]:
    """`routes_file`: ROUTES_FILE, the city's route rules."""
    return [*domain_entries(), *route_entries(routes_file), *catalogue_entries()]


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
        lines.append(
            f"{entry.name:<{width}}  {on.encoding:>5} {on.count:>2} seg {on.length:>4}"
            f"  {off.encoding:>5} {off.count:>2} seg {off.length:>4}"
        )
    lines.append("")
    for fold in (True, False):
        s = summarise(entries, fold)
        lines.append(
            f"folding {'on ' if fold else 'off'}: {s.count} texts, {s.gsm_share:.0%} GSM-7, "
            f"median {s.median_segments:g} segment(s), max {s.max_segments}"
        )
    not_gsm = [e.name for e in entries if cost(e, True).encoding != "GSM-7"]
    if not_gsm:
        lines.append("not GSM-7 even with folding: " + ", ".join(not_gsm))
    over = [e.name for e in entries if cost(e, True).count > MAX_SEGMENTS]
    if over:
        lines.append(f"over {MAX_SEGMENTS} segments with folding: " + ", ".join(over))
    return "\n".join(lines)
