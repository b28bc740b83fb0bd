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
    for secret in entry.get("secrets", []):
        assert secret not in masked, (secret, masked)


def test_a_password_after_a_label_is_masked_not_the_label():
    assert redact("mot de passe impots: Metz#1959") == f"mot de passe impots: {MASK}"
    assert redact("mdp gmail Metz#1959") == f"mdp gmail {MASK}"
    assert redact("code : A7KX92") == f"code : {MASK}"
    labelled = [e for e in CORPUS if e.get("secrets")]
    assert len(labelled) >= 15


def test_the_report_shows_recall_and_precision_above_the_targets_for_every_kind(capsys):
    privacy_cli(["report"])
    rows = {
        line.split()[0]: line.split()
        for line in capsys.readouterr().out.splitlines()
        if line.split() and line.split()[0] in KINDS
    }
    assert set(rows) == set(KINDS)
    for kind, (_, precision, recall, *_counts) in rows.items():
        assert float(recall) >= 0.99 and float(precision) >= 0.95, (kind, precision, recall)


def test_precision_and_recall_are_perfect_on_the_corpus():
    for score in scores(CORPUS).values():
        assert (score.precision, score.recall) == (1.0, 1.0), score


def test_the_report_command_prints_precision_and_recall_per_kind(capsys):
    assert privacy_cli(["report"]) == 0
    out = capsys.readouterr().out
    assert "precision" in out and "recall" in out
    for kind in KINDS:
        assert f"\n{kind} " in out
