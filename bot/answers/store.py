"""Reading and changing the answers in the database: the one writer of `answers`.

Every change goes through here, so that each one is an `AnswerVersion` (who, when,
before, after) and raises the revision counter the Rasa processes watch
(bot/answers/nlg.py). An edit is checked first (bot/answers/checks.py) and refused
with its reasons; a revert puts back what a version held.
"""

from __future__ import annotations

import copy
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.answers.checks import Report, check_answer, placeholders_of
from bot.answers.models import Answer, AnswerReference, AnswerRevision, AnswerVersion
from bot.answers.references import kind_of, known_references, normalised
from bot.db import utcnow


class Refused(Exception):
    """An edit that did not pass the checks; `problems` say why, in French."""

    def __init__(self, problems: list[str], reports: list[Report] | None = None) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
        self.reports = reports or []


class UnknownAnswer(KeyError):
    pass


def revision(session: Session) -> int:
    value = session.execute(select(AnswerRevision.value).where(AnswerRevision.id == 1)).scalar_one_or_none()
    return int(value or 0)


def bump(session: Session) -> None:
    """Raise the counter (one atomic UPDATE: concurrent writers never lose a raise)."""
    done = session.execute(
        update(AnswerRevision).where(AnswerRevision.id == 1).values(value=AnswerRevision.value + 1)
    ).rowcount
    if not done:
        session.add(AnswerRevision(id=1, value=1))
    session.flush()


def state(answer: Answer) -> dict:
    return {"variations": copy.deepcopy(answer.variations), "sources": list(answer.sources or [])}


def record(session: Session, answer: Answer, kind: str, by: str, before: dict | None, note: str | None = None) -> None:
    answer.version = (answer.version or 0) + 1
    answer.updated_at = utcnow()
    answer.updated_by = by[:200]
    session.add(
        AnswerVersion(
            answer=answer, number=answer.version, kind=kind, by=by[:200], before=before, after=state(answer), note=note
        )
    )
    bump(session)


def get(session: Session, key: str) -> Answer:
    answer = session.execute(select(Answer).where(Answer.key == key)).scalar_one_or_none()
    if answer is None:
        raise UnknownAnswer(key)
    return answer


def search(session: Session, words: str = "") -> list[Answer]:
    """Answers whose name or text holds every word (accents and case ignored)."""
    from bot.answers.text import folded

    answers = list(session.execute(select(Answer).where(Answer.retired.is_(False)).order_by(Answer.key)).scalars())
    terms = folded(words).split()
    if not terms:
        return answers

    def haystack(a: Answer) -> str:
        return folded(" ".join([a.key, *[str(v.get("text") or "") for v in a.variations]]))

    return [a for a in answers if all(t in haystack(a) for t in terms)]


def with_texts(variations: list[dict], texts: list[str]) -> list[dict]:
    """The variations with their texts replaced, in order (buttons, channel, conditions kept)."""
    changed = copy.deepcopy(variations)
    for variation, text in zip(changed, texts):
        variation["text"] = text.replace("\r\n", "\n").strip()
    return changed


def check(session: Session, answer: Answer, variations: list[dict], *, fold_accents: bool) -> list[Report]:
    from bot.answers.seed import slot_names

    allowed = (
        placeholders_of(answer.variations)
        | placeholders_of((answer.seeded or {}).get("variations") or [])
        | slot_names()
    )
    return check_answer(variations, known_references(session), allowed_placeholders=allowed, fold_accents=fold_accents)


def edit(
    session: Session,
    key: str,
    texts: list[str],
    by: str,
    *,
    sources: list[str] | None = None,
    note: str | None = None,
    fold_accents: bool,
) -> Answer:
    """Save new texts for an answer's variations after checking them; raises `Refused`."""
    answer = get(session, key)
    variations = with_texts(answer.variations, texts)
    reports = check(session, answer, variations, fold_accents=fold_accents)
    problems = [p for r in reports for p in r.problems]
    if problems:
        raise Refused(problems, reports)
    new_sources = [s.strip() for s in sources if s.strip()] if sources is not None else list(answer.sources or [])
    if variations == answer.variations and new_sources == list(answer.sources or []):
        return answer
    before = state(answer)
    answer.variations = variations
    answer.sources = new_sources
    record(session, answer, "edit", by, before, note)
    return answer


def revert(session: Session, key: str, number: int, by: str) -> Answer:
    """Put back what version `number` of the answer held (itself a new version)."""
    answer = get(session, key)
    version = session.execute(
        select(AnswerVersion).where(AnswerVersion.answer_id == answer.id, AnswerVersion.number == number)
    ).scalar_one_or_none()
    if version is None or not version.after:
        raise UnknownAnswer(f"{key} v{number}")
    before = state(answer)
    answer.variations = copy.deepcopy(version.after["variations"])
    answer.sources = list(version.after.get("sources") or [])
    record(session, answer, "revert", by, before, note=f"retour à la version {number}")
    return answer


def mark_checked(session: Session, key: str, by: str, on: date | None = None) -> Answer:
    answer = get(session, key)
    answer.checked_on = on or date.today()
    answer.checked_by = by[:200]
    record(session, answer, "checked", by, state(answer), note=f"vérifiée le {answer.checked_on.isoformat()}")
    return answer


def history(session: Session, key: str) -> list[AnswerVersion]:
    answer = get(session, key)
    return list(
        session.execute(
            select(AnswerVersion).where(AnswerVersion.answer_id == answer.id).order_by(AnswerVersion.number.desc())
        ).scalars()
    )


def add_reference(session: Session, value: str, what: str, source: str, by: str) -> AnswerReference:
    """A URL or phone number added from the desk, with what it is and where it was checked."""
    value, what, source = value.strip(), what.strip(), source.strip()
    kind = kind_of(value)
    problems = []
    if kind is None:
        problems.append(f"« {value} » n'est ni un lien ni un numéro de téléphone.")
    if not what:
        problems.append("Dites ce qu'est cette référence (par exemple : « Info Escroqueries, ligne gratuite »).")
    if not source:
        problems.append("Donnez la source de cette référence : le site officiel où vous l'avez vérifiée.")
    if problems:
        raise Refused(problems)
    key = normalised(kind, value)
    for existing in session.execute(select(AnswerReference).where(AnswerReference.kind == kind)).scalars():
        if normalised(kind, existing.value) == key:
            return existing
    reference = AnswerReference(value=value, kind=kind, what=what[:300], source=source[:500], added_by=by[:200])
    session.add(reference)
    session.flush()
    return reference
