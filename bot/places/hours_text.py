"""Opening hours in short plain French, for an SMS: "Mo-Fr 08:30-12:00" -> "lun-ven 8h30-12h".

Places and permanences store their schedules in the OpenStreetMap
`opening_hours` syntax. Residents read French, so the common subset (days,
day ranges, time ranges, rules separated by ";") is written out; anything
richer (public holidays, week numbers...) is left as it is rather than
guessed.
"""

from __future__ import annotations

import re

DAYS = {"Mo": "lun", "Tu": "mar", "We": "mer", "Th": "jeu", "Fr": "ven", "Sa": "sam", "Su": "dim"}
DAY = "(?:Mo|Tu|We|Th|Fr|Sa|Su)"
TIME = r"\d{1,2}:\d{2}"
RULE = re.compile(
    rf"^(?P<days>{DAY}(?:-{DAY})?(?:,{DAY}(?:-{DAY})?)*)\s+"
    rf"(?P<times>{TIME}-{TIME}(?:,{TIME}-{TIME})*|off|closed)$"
)


def french_clock(value: str) -> str:
    """'08:30' -> '8h30', '12:00' -> '12h'."""
    hours, minutes = value.split(":")
    return f"{int(hours)}h" + ("" if minutes == "00" else minutes)


def french_days(days: str) -> str:
    """'Mo-Fr' -> 'lun-ven', 'Tu,Th' -> 'mar, jeu'."""
    parts = []
    for part in days.split(","):
        parts.append("-".join(DAYS[d] for d in part.split("-")))
    return ", ".join(parts)


def french_rule(rule: str) -> str | None:
    match = RULE.match(rule.strip())
    if not match:
        return None
    days = french_days(match["days"])
    if match["times"] in {"off", "closed"}:
        return f"{days} fermé"
    times = ", ".join("-".join(french_clock(t) for t in span.split("-")) for span in match["times"].split(","))
    return f"{days} {times}"


def french_hours(value: str | None) -> str | None:
    """The whole schedule in French, or the raw value when it uses syntax we do not write out."""
    if not value or not value.strip():
        return None
    rules = [french_rule(rule) for rule in value.split(";") if rule.strip()]
    if any(rule is None for rule in rules):
        return value.strip()
    return " ; ".join(rules)
