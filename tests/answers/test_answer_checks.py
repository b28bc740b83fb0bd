"""Every answer carries its sources and the date it was checked; `answers due` lists the old ones.

data/answers/checks.yml has one entry per response of bot/domain/: its sources are values of
data/references.yml (URL, phone, `fact:`) or a named source in words, every URL and phone
number of the text is among them, and its `checked` date is a real past day.
`python -m bot answers due` lists answers and places checked more than ANSWER_REVIEW_DAYS ago,
the most sent (Rasa's recorded bot messages) or most booked first.
"""

from __future__ import annotations

import asyncio
import functools
import os
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import select

from bot.answer_checks import AnswerCheck, due, read_checks, response_names
from bot.db import make_engine, session_scope
from bot.desk.places_loader import load_places
from bot.places.models import Place
from bot.settings import ROOT, get_settings, reload_settings
from bot.sms.outbound import SmsConfig
from bot.yaml_files import load_yaml
from tests.answers.test_references import REFERENCES, digits, domain_texts, extract, url_key
from tests.conftest import migrated

TODAY = date(2026, 12, 1)


def reference_values() -> dict[str, str]:
    """Reference value -> kind, with URLs and phones also under their normalised form."""
    values = {}
    for entry in load_yaml(REFERENCES.read_text(encoding="utf-8"))["references"]:
        value = str(entry["value"])
        values[value] = entry["kind"]
        values[url_key(value) if entry["kind"] == "url" else digits(value) if entry["kind"] == "phone" else value] = (
            entry["kind"]
        )
    return values


def test_every_response_has_a_check_entry_and_no_entry_is_stale():
    checks, names = read_checks(), response_names()
    assert len(names) > 200
    assert sorted(set(names) - set(checks)) == [], "responses with no entry in data/answers/checks.yml"
    assert sorted(set(checks) - set(names)) == [], "entries for responses that do not exist"


def test_every_source_is_in_the_references_file_or_named_in_words():
    known = reference_values()
    for key, check in read_checks().items():
        for source in check.sources:
            urls, phones = extract(source)
            if source.startswith("fact:") or urls or phones or source.replace(" ", "").isdigit():
                assert source in known, f"{key}: source {source!r} is not in data/references.yml"
            else:
                assert len(source.split()) >= 2, f"{key}: name a source in words, not {source!r}"


def test_every_url_and_phone_number_of_an_answer_is_among_its_sources():
    checks = read_checks()
    missing = []
    for where, text in domain_texts():
        key = where.split(":", 1)[1]
        urls, phones = extract(text)
        sources = set()
        for source in checks[key].sources:
            found_urls, found_phones = extract(source)
            sources |= found_urls | found_phones | {digits(source)}
        missing += [f"{key}: {v}" for v in sorted((urls | phones) - sources)]
    assert not missing, "add them to the answer's sources:\n" + "\n".join(missing)


def test_checked_dates_are_past_days_and_the_fixed_facts_are_dated_with_their_facts():
    checks = read_checks()
    assert all(c.checked is not None and c.checked <= date.today() for c in checks.values())
    assert "fact:demarchage-consentement-2026" in checks["utter_faq_securite_numerique/donnees_personnelles"].sources
    assert "fact:naturalisation-b2-examen-civique" in checks["utter_faq_etrangers_europe/naturalisation"].sources
    for key in (k for k in checks if k.startswith("utter_urgence/")):
        assert {"17cyber.gouv.fr", "0 805 805 817"} <= set(checks[key].sources), key
        assert checks[key].checked >= TODAY


@functools.cache
def the_domain() -> Domain:
    """The assistant's domain, read once (3 s: every answer file)."""
    return Domain.load(str(ROOT / "bot" / "domain"))


def store_bot_messages(url: str, sent: dict[str, int], at: datetime, monkeypatch) -> None:
    """Bot messages recorded by the product's own tracker store, as Rasa writes them."""
    from bot.rasa_stores import SettingsTrackerStore

    monkeypatch.setenv("DATABASE_URL", url)
    reload_settings()
    store = SettingsTrackerStore(domain=the_domain())
    tracker = DialogueStateTracker("sms:test", [])
    ts = at.timestamp()
    for name, count in sent.items():
        for _ in range(count):
            tracker.update(ActionExecuted(name.split("/")[0], timestamp=ts))
            tracker.update(BotUttered("...", metadata={"utter_action": name}, timestamp=ts))
    asyncio.run(store.save(tracker))
    store.engine.dispose()


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_due_lists_old_answers_and_places_most_sent_first(database, request, tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'app.db'}" if database == "sqlite" else request.getfixturevalue("postgres_url")
    migrated(url)
    engine = make_engine(url)
    now = datetime.now(timezone.utc)
    store_bot_messages(url, {"utter_faq_email/spams": 3, "utter_greet": 5, "utter_goodbye": 1}, now, monkeypatch)
    store_bot_messages(url, {"utter_goodbye": 9}, now - timedelta(days=60), monkeypatch)  # too old to count
    old, recent = date(2026, 1, 1), TODAY
    checks = {
        "utter_faq_email/spams": AnswerCheck("utter_faq_email/spams", (), old),
        "utter_greet": AnswerCheck("utter_greet", (), recent),
        "utter_goodbye": AnswerCheck("utter_goodbye", (), old),
    }
    names = [*checks, "utter_never_checked"]
    with session_scope(engine) as session:
        load_places(session, get_settings().places_file, sms=SmsConfig.of(get_settings()))
        items, counted = due(session, today=TODAY, review_days=90, checks=checks, names=names)
        checked_places = {p.slug for p in session.execute(select(Place)).scalars() if p.checked_on}
    assert counted
    answers = [(i.key, i.used) for i in items if i.kind == "answer"]
    assert answers == [("utter_faq_email/spams", 3), ("utter_goodbye", 1), ("utter_never_checked", 0)]
    places = {i.key for i in items if i.kind == "place"}
    assert "mediatheque-verlaine" in checked_places and "mediatheque-verlaine" not in places
    assert {"ccas-metz", "mairie-bellecroix"} <= places  # never checked
    engine.dispose()
    monkeypatch.undo()
    reload_settings()


@pytest.mark.processes
def test_the_command_lists_what_is_due_and_says_when_it_cannot_count(tmp_path):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    migrated(url)
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([sys.executable, "-m", "bot", "places", "load"], cwd=ROOT, env=env, check=True, capture_output=True)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "answers", "due", "--today", "2027-06-01"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "No record of sent answers" in out
    assert "answer  utter_urgence/carte_bancaire" in out and "place   mediatheque-verlaine" in out
    assert "never checked" in out
    soon = subprocess.run(
        [sys.executable, "-m", "bot", "answers", "due", "--today", "2026-12-02", "--days", "90"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert "utter_urgence/carte_bancaire" not in soon and "mediatheque-verlaine" not in soon
