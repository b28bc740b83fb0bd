"""The route a triage leads to: an appointment, a workshop, Aidants Connect, a partner.

The rules are configuration, per city (ROUTES_FILE, e.g. data/routes/metz.yml);
this module only reads them and applies the first that matches.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.classification import ADMINISTRATIVE_THEMATIQUES
from bot.settings import get_settings
from bot.triage.answers import SKIPPED


@dataclass(frozen=True)
class Route:
    route: str
    book: str | None  # "individuel", "atelier" or None (no appointment)
    message: str


def estimate_autonomie(has_email: str | None, has_login: str | None) -> str:
    """A first guess of the Coop `autonomie` from the two autonomy clues."""
    answers = [a for a in (has_email, has_login) if a in ("oui", "non")]
    if not answers:
        return "partiellement_autonome"
    yes = answers.count("oui")
    if yes == 0:
        return "entierement_accompagne"
    if yes == len(answers) == 2:
        return "autonome"
    return "partiellement_autonome"


@lru_cache(maxsize=4)
def load_rules(path: str) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


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


def choose_route(triage: dict, path: str | Path | None = None) -> Route:
    """`triage` holds thematique, materiel, has_email, has_login (SKIPPED allowed)."""
    rules = load_rules(str(path or get_settings().routes_file))
    facts = {k: (None if v == SKIPPED else v) for k, v in triage.items()}
    facts["autonomie"] = estimate_autonomie(facts.get("has_email"), facts.get("has_login"))
    for rule in rules.get("routes") or []:
        if _matches(rule.get("when") or {}, facts):
            return Route(rule["route"], rule.get("book"), rule.get("message") or "")
    default = rules["default"]
    return Route(default["route"], default.get("book"), default.get("message") or "")
