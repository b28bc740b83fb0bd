"""`python -m bot nlu export-reviewed` and the examples a retrain adds (issue 17, point 3)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from bot.db import session_factory
from bot.nlu.evaluation import read_blind, read_nlu_file, read_nlu_folder
from bot.nlu.near_copy import BLIND
from bot.nlu.reviewed import HEADER, examples_for_retrain, export_reviewed
from bot.review.models import ReviewItem, ReviewLabel
from bot.settings import ROOT
from bot.yaml_files import load_yaml
from tests.retrain.helpers import labelled_item

FULL = "les courriels des autres narrivent plus chez moi car plus de place"


@pytest.fixture
def nlu(tmp_path):
    folder = tmp_path / "nlu"
    shutil.copytree(ROOT / "data" / "nlu", folder)
    return folder


@pytest.fixture
def session(db_engine):
    with session_factory(db_engine)() as session:
        yield session


def test_labels_are_written_one_file_per_topic_appended_without_duplicates(session, nlu):
    labelled_item(session, FULL, "faq_email/boite_pleine")
    labelled_item(session, "ma messagerie refuse tout nouveau courrier depuis hier", "faq_email/boite_pleine")
    labelled_item(session, "faut il un antivirus payant sur mon vieux pc portable", "faq_securite_numerique/antivirus")
    labelled_item(session, "bonsoir tout le monde ici", "greet")
    labelled_item(session, "ceci ne sert a rien du tout", "x", label=ReviewLabel.IGNORE)
    chosen, paths = export_reviewed(session, nlu)
    assert sorted(p.name for p in paths) == [
        "reviewed_conversation.yml",
        "reviewed_faq_email.yml",
        "reviewed_faq_securite_numerique.yml",
    ]
    email = nlu / "reviewed_faq_email.yml"
    assert email.read_text(encoding="utf-8").startswith(HEADER)
    assert "examples from the review inbox, labelled in the desk" in email.read_text(encoding="utf-8").lower()
    assert load_yaml(email.read_text(encoding="utf-8"))["version"] == "3.1"
    assert [(e.intent, e.text) for e in read_nlu_file(email)] == [
        ("faq_email/boite_pleine", FULL),
        ("faq_email/boite_pleine", "ma messagerie refuse tout nouveau courrier depuis hier"),
    ]
    assert all(item.exported_at is not None for item in session.query(ReviewItem).filter_by(label="answer"))
    assert session.query(ReviewItem).filter_by(label="ignore").one().exported_at is None

    # A second export appends the new label and never writes an example twice.
    labelled_item(session, "plus de place dans ma messagerie orange que supprimer en premier", "faq_email/boite_pleine")
    labelled_item(session, FULL, "faq_email/boite_pleine", conversation_id="web:00000000-0000-4000-8000-000000000002")
    chosen, _ = export_reviewed(session, nlu)
    assert len(chosen.examples) == 1 and len(chosen.duplicates) == 1
    texts = [e.text for e in read_nlu_file(email)]
    assert texts.count(FULL) == 1 and texts[-1] == "plus de place dans ma messagerie orange que supprimer en premier"
    # Rasa reads the files: every example is under a known intent.
    assert {e.intent for e in read_nlu_folder(nlu)} >= {"faq_email/boite_pleine", "greet"}


def test_a_near_copy_of_a_heldout_message_and_an_unknown_label_are_refused_and_reported(session, nlu):
    blind = next(m for m in read_blind(BLIND) if len(m.text.split()) >= 8 and m.answers)
    words = blind.text.split()
    nearly = " ".join(words[:-1] + [words[-1] + "s"])  # one word changed
    copied = labelled_item(session, nearly, blind.answers[0])
    unknown = labelled_item(session, "comment envoyer un fax depuis mon ordinateur", "faq_email/fax")
    chosen, paths = export_reviewed(session, nlu)
    assert not chosen.examples and not paths
    reasons = {r.item_id: r.why for r in chosen.refused}
    assert reasons[copied.id].startswith("held-out: ") and blind.text in reasons[copied.id]
    assert reasons[unknown.id] == "unknown label"
    session.refresh(copied)
    assert copied.exported_at is None


def test_the_examples_for_a_retrain_are_read_without_writing_anything(session, nlu):
    before = sorted(p.name for p in nlu.iterdir())
    labelled_item(session, FULL, "faq_email/boite_pleine")
    chosen = examples_for_retrain(session, nlu)
    assert [(e.text, e.intent) for e in chosen.examples] == [(FULL, "faq_email/boite_pleine")]
    assert sorted(p.name for p in nlu.iterdir()) == before
    assert session.query(ReviewItem).one().exported_at is None


@pytest.mark.processes
def test_the_command_exports_and_reports(sqlite_url, db_engine, nlu):
    with session_factory(db_engine)() as session:
        labelled_item(session, FULL, "faq_email/boite_pleine")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "nlu", "export-reviewed", "--folder", str(nlu)],
        cwd=ROOT,
        env={**__import__("os").environ, "DATABASE_URL": sqlite_url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "1 examples written" in result.stdout and "reviewed_faq_email.yml" in result.stdout
