"""The GSM-7 normaliser and segment counts (bot/sms/encoding.py)."""

from __future__ import annotations

import pytest

from bot.sms.encoding import count_segments, is_gsm, normalise


def test_typography_becomes_plain_gsm_without_changing_meaning():
    text = "L\u2019appli \u00ab\u00a0Ameli\u00a0\u00bb \u2013 c\u2019est \u201cgratuit\u201d\u2026 10\u202f\u20ac"
    out = normalise(text, fold_accents=False)
    assert out == 'L\'appli " Ameli " - c\'est "gratuit"... 10 \u20ac'
    assert is_gsm(out)


def test_folding_keeps_the_accents_gsm7_has_and_folds_the_others():
    # GSM-7 has é è à ù (and É, Ç): kept; ç ê î ô û ë ï œ, Ê...: folded.
    text = "Ça coûte où ? ça, Être là, déjà, naïf, Noël, cœur, île, hôpital, Élise, à bientôt"
    out = normalise(text, fold_accents=True)
    assert out == "Ça coute où ? ca, Etre là, déjà, naif, Noel, coeur, ile, hopital, Élise, à bientot"
    assert count_segments(out).encoding == "GSM-7"


def test_without_folding_one_french_letter_makes_the_whole_sms_ucs2():
    text = "Votre rendez-vous est à 14 h. " * 4 + "Hôtel de ville."
    kept = normalise(text, fold_accents=False)
    assert "ô" in kept
    assert count_segments(kept).encoding == "UCS-2"
    assert count_segments(kept).count == 3  # 135 UTF-16 units: 67 a segment when split
    assert count_segments(normalise(text, fold_accents=True)).encoding == "GSM-7"
    assert count_segments(normalise(text, fold_accents=True)).count == 1


@pytest.mark.parametrize("length,segments", [(1, 1), (160, 1), (161, 2), (306, 2), (307, 3), (459, 3)])
def test_gsm7_segments(length, segments):
    assert count_segments("a" * length) == (count_segments("a" * length).__class__("GSM-7", segments, length))


@pytest.mark.parametrize("length,segments", [(70, 1), (71, 2), (134, 2), (135, 3)])
def test_ucs2_segments(length, segments):
    result = count_segments("ê" * length)
    assert (result.encoding, result.count) == ("UCS-2", segments)


def test_gsm_extension_characters_count_twice():
    assert count_segments("€" * 80).length == 160 and count_segments("€" * 80).count == 1
    assert count_segments("€" * 81).count == 2
