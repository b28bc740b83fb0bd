"""The route a triage leads to: an appointment, a workshop, Aidants Connect, a partner.

The rules are configuration, per city (ROUTES_FILE, e.g. data/routes/metz.yml, passed in by the entry
points); this module only reads them and applies the first that matches.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.coop import ADMINISTRATIVE_THEMATIQUES, StructureDeRedirection, estimate_autonomie
from bot.triage.answers import SKIPPED
from bot.yaml_files import load_yaml


@dataclass(frozen=True)
class Route:
    route: str
    book: str | None  # "individuel", "atelier" or None (no appointment)
    message: str
    structure_de_redirection: StructureDeRedirection | None = None  # the Coop value it orients to


def _route(rule: dict) -> Route:
    redirection = rule.get("structure_de_redirection")
    return Route(
        rule["route"],
        rule.get("book"),
        rule.get("message") or "",
        StructureDeRedirection(redirection) if redirection else None,
    )


@lru_cache(maxsize=4)
def load_rules(path: str) -> dict:
    return load_yaml(Path(path).read_text(encoding="utf-8"))


def _matches(when: dict, facts: dict) -> bool:
    for key, expected in when.items():
        if key == "thematique_in":
            if facts.get("thematique") not in expected:
                return False
        elif key == "administrative":
            if (facts.get("thematique") in ADMINISTRATIVE_THEMATIQUES) != bool(expected):
                return False
        elif facts.get(key) != expected:
            return False
    return True


def choose_route(triage: dict, path: str | Path) -> Route:
    """`triage` holds thematique, materiel, has_email, has_login (SKIPPED allowed); `path`: ROUTES_FILE."""
    rules = load_rules(str(path))
    facts = {k: (None if v == SKIPPED else v) for k, v in triage.items()}
    facts["autonomie"] = estimate_autonomie(facts.get("has_email"), facts.get("has_login"))
    for rule in rules.get("routes") or []:
        if _matches(rule.get("when") or {}, facts):
            return _route(rule)
    return _route(rules["default"])


def route_named(name: str | None, path: str | Path) -> Route | None:
    """The route of this name in the city's rules (a ticket keeps only the name); `path`: ROUTES_FILE."""
    rules = load_rules(str(path))
    for rule in [*(rules.get("routes") or []), rules["default"]]:
        if rule.get("route") == name:
            return _route(rule)
    return None


def orientation_of(name: str | None, path: str | Path) -> StructureDeRedirection | None:
    """The Coop structure the route of this name orients to (a ticket's draft report proposes it)."""
    route = route_named(name, path) if name else None
    return route.structure_de_redirection if route else None
