"""Every text the bot can send by SMS is GSM-7 with folding on, and cheap.

A correctness test on the benchmark's list (bot/sms/bench.py), not a timing:
with SMS_FOLD_ACCENTS on, no text may fall back to UCS-2, and the median
text fits in at most 2 segments (306 GSM-7 characters).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.settings import ROOT
from bot.sms.bench import cost, every_sms_text, summarise
from tests.booking.helpers import ROUTES


def test_the_benchmark_lists_every_kind_of_text():
    names = [e.name for e in every_sms_text(routes_file=ROUTES)]
    assert "utter_greet" in names and "utter_ask_materiel" in names
    assert any(n.startswith("utter_faq_email/") for n in names)
    assert any(n.startswith("booking.confirmation") for n in names)
    assert "reminders.reminder" in names and "booking.offer" in names
    assert "sms.stop_confirmation" in names and "privacy.notice" in names
    assert "booking.already_booked" in names and "desk.cancellation_by_desk" in names  # bot/texts/


def test_with_folding_every_text_is_gsm7():
    not_gsm = [e.name for e in every_sms_text(routes_file=ROUTES) if cost(e, fold=True).encoding != "GSM-7"]
    assert not_gsm == [], f"texts that stay UCS-2 even with folding: {not_gsm}"


def test_with_folding_the_median_text_is_at_most_two_segments():
    entries = every_sms_text(routes_file=ROUTES)
    summary = summarise(entries, fold=True)
    over = sorted(e.name for e in entries if cost(e, fold=True).count > 2)
    assert summary.median_segments <= 2, (
        f"median {summary.median_segments} segments over {summary.count} texts; "
        f"{len(over)} texts take 3 or more SMS (write them in 306 GSM-7 characters or add a "
        f"`channel: twilio_sms` variation): {over}"
    )


@pytest.mark.processes
def test_the_benchmark_command_prints_both_modes():
    result = subprocess.run(
        [sys.executable, "-m", "bot", "bench-sms"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "folding on : " in result.stdout and "folding off: " in result.stdout
    assert "utter_greet" in result.stdout and "GSM-7" in result.stdout


def test_the_bench_scripts_sms_figures_run(capsys):
    """`make bench` ends with these rows (scripts/bench.py, bench_sms): they must not crash after
    the minutes of load before them."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_script", ROOT / "scripts" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    table = bench.Table()
    bench.bench_sms(["Bonjour, je suis l'assistant numérique de la Ville de Metz."], table)
    assert [row[0] for row in table.rows] == [
        "SMS segments per reply seen in the runs",
        "SMS segments, every text the bot can send",
    ]
