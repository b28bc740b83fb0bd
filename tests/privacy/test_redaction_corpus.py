"""The labelled corpus is classified correctly, kind by kind; the report prints precision and recall."""
from __future__ import annotations

import pytest

from bot.cli.privacy import main as privacy_cli
from bot.privacy.redaction import KINDS, MASK, redact, secret_kinds
from bot.privacy.report import load_corpus, scores

CORPUS = load_corpus()


def test_the_corpus_is_realistic_and_balanced():
    assert len(CORPUS) >= 60
    negatives = [e for e in CORPUS if not e["kinds"]]
    assert len(negatives) >= 25
    for kind in KINDS:
        assert sum(kind in e["kinds"] for e in CORPUS) >= 4, kind


@pytest.mark.parametrize("entry", CORPUS, ids=[e["text"][:40] for e in CORPUS])
def test_each_message_is_classified_as_labelled(entry):
    assert secret_kinds(entry["text"]) == set(entry["kinds"])
    masked = redact(entry["text"])
    assert (MASK in masked) == bool(entry["kinds"])
    if not entry["kinds"]:
        assert masked == entry["text"]


def test_precision_and_recall_are_perfect_on_the_corpus():
    for score in scores(CORPUS).values():
        assert (score.precision, score.recall) == (1.0, 1.0), score


def test_the_report_command_prints_precision_and_recall_per_kind(capsys):
    assert privacy_cli(["report"]) == 0
    out = capsys.readouterr().out
    assert "precision" in out and "recall" in out
    for kind in KINDS:
        assert f"\n{kind} " in out
