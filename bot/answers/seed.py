"""Seeding the database's answers from the repository (bot/domain/*.yml, data/answers/checks.yml).

Run by `python -m bot db upgrade` and `python -m bot answers seed`; idempotent.
For each response of the domain files, three versions meet: what the repository
says now, what the database was last seeded from (`Answer.seeded`), and what the
database serves. Then:

- new in the repository: added;
- unchanged in the repository: nothing (a desk edit stays);
- changed in the repository, not edited in the desk (or edited to the same text,
  e.g. exported, committed and deployed): the database takes the repository's text;
- changed in both: the desk's text stays and the seed says so (a person decides:
  `python -m bot answers show KEY`, then `set` or a revert).

`checked` dates from data/answers/checks.yml only move forward; its sources follow
the same rule as the texts.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.answers.models import Answer, AnswerVersion, PlaceReview
from bot.answers.store import bump, record, state
from bot.settings import ROOT
from bot.yaml_files import load_yaml

CHECKS_RELATIVE = Path("data") / "answers" / "checks.yml"
CHECKS_FILE = ROOT / CHECKS_RELATIVE
SEED_ACTOR = "dépôt git"


@dataclass
class SeedReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"{len(self.added)} added, {len(self.updated)} updated from the repository, "
            f"{len(self.conflicts)} kept as edited in the desk, {len(self.retired)} retired"
        ]
        out += [f"  kept (changed in the repository and in the desk): {key}" for key in self.conflicts]
        return out


def repository_answers(root: Path | None = None) -> dict[str, tuple[str, list[dict]]]:
    """Every response of the domain files: name -> (file relative to the checkout, variations)."""
    root = root or ROOT
    found = {}
    for path in sorted((root / "bot" / "domain").glob("*.yml")):
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
        for name, variations in (data.get("responses") or {}).items():
            found[name] = (str(path.relative_to(root)), list(variations or []))
    return found


@lru_cache(maxsize=4)
def slot_names(root: Path | None = None) -> frozenset:
    """The domain's slots: the {placeholders} Rasa can fill in an answer."""
    names = set()
    for path in sorted(((root or ROOT) / "bot" / "domain").glob("*.yml")):
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
        names |= set((data.get("slots") or {}).keys())
    return frozenset(names)


def _date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def read_checks(path: Path | None = None) -> dict[str, dict]:
    """data/answers/checks.yml: answer key -> {"sources": [...], "checked": date | None}.

    Read tolerantly: the keys may be at the top or under `answers:`, with or without `utter_`.
    """
    path = path or CHECKS_FILE
    if not path.exists():
        return {}
    data = load_yaml(path.read_text(encoding="utf-8")) or {}
    if isinstance(data.get("answers"), dict):
        data = data["answers"]
    checks = {}
    for key, entry in data.items():
        if not isinstance(entry, dict):
            continue
        name = key if str(key).startswith("utter_") else f"utter_{key}"
        sources = entry.get("sources") or []
        if isinstance(sources, str):
            sources = [sources]
        checks[name] = {"sources": [str(s) for s in sources], "checked": _date(entry.get("checked"))}
    return checks


def _merge(field_name: str, answer: Answer, repo_value, report: SeedReport) -> bool:
    """Three-way merge of one field; True when the database's value changed."""
    seeded = (answer.seeded or {}).get(field_name)
    current = getattr(answer, field_name)
    if repo_value == seeded:
        return False
    if current == seeded or current == repo_value:
        changed = current != repo_value
        setattr(answer, field_name, copy.deepcopy(repo_value))
        answer.seeded = {**(answer.seeded or {}), field_name: copy.deepcopy(repo_value)}
        return changed
    if answer.key not in report.conflicts:
        report.conflicts.append(answer.key)
    return False


def seed(session: Session, root: Path | None = None) -> SeedReport:
    """Seed from the checkout at `root` (default: this one)."""
    report = SeedReport()
    repository = repository_answers(root)
    checks = read_checks((root / CHECKS_RELATIVE) if root else None)
    existing = {a.key: a for a in session.execute(select(Answer)).scalars()}
    changed_any = False
    for key, (domain_file, variations) in repository.items():
        entry = checks.get(key, {})
        sources = entry.get("sources") or []
        answer = existing.get(key)
        if answer is None:
            answer = Answer(
                key=key,
                domain_file=domain_file,
                variations=copy.deepcopy(variations),
                seeded={"variations": copy.deepcopy(variations), "sources": list(sources)},
                sources=list(sources),
                checked_on=entry.get("checked"),
                retired=False,
                version=1,
                updated_by=SEED_ACTOR,
            )
            session.add(answer)
            session.add(
                AnswerVersion(answer=answer, number=1, kind="seed", by=SEED_ACTOR, before=None, after=state(answer))
            )
            report.added.append(key)
            changed_any = True
            continue
        before = state(answer)
        was_retired = answer.retired
        answer.retired = False
        answer.domain_file = domain_file
        changed = _merge("variations", answer, variations, report)
        changed = _merge("sources", answer, list(sources), report) or changed
        if entry.get("checked") and (answer.checked_on is None or entry["checked"] > answer.checked_on):
            answer.checked_on = entry["checked"]
            answer.checked_by = SEED_ACTOR
            changed_any = True
        if changed or was_retired:
            record(session, answer, "repository", SEED_ACTOR, before)
            report.updated.append(key)
    for key, answer in existing.items():
        if key not in repository and not answer.retired:
            answer.retired = True
            report.retired.append(key)
            changed_any = True
    if changed_any and not report.updated:
        bump(session)
    session.flush()
    return report


def seed_place_reviews(session: Session, places_file: Path) -> int:
    """One review row per place of the places file, its `checked` date taken when the file has one."""
    if not places_file.exists():
        return 0
    data = load_yaml(places_file.read_text(encoding="utf-8")) or {}
    reviews = {r.place_slug: r for r in session.execute(select(PlaceReview)).scalars()}
    added = 0
    for place in data.get("places") or []:
        slug = place.get("slug")
        if not slug:
            continue
        checked = _date(place.get("checked") or place.get("verifie_le"))
        review = reviews.get(slug)
        if review is None:
            session.add(PlaceReview(place_slug=slug, checked_on=checked, checked_by=SEED_ACTOR if checked else None))
            added += 1
        elif checked and (review.checked_on is None or checked > review.checked_on):
            review.checked_on, review.checked_by = checked, SEED_ACTOR
    session.flush()
    return added
