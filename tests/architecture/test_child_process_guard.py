"""`make check` runs the in-process tier only: a test that starts a child process without the
`processes` (or `live`, `browser`) marker fails (tests/conftest.py, ChildProcessGuard)."""

from __future__ import annotations

import pytest

from bot.settings import ROOT

pytest_plugins = ["pytester"]


@pytest.mark.processes
def test_an_unmarked_test_that_starts_a_child_process_fails_and_a_marked_one_passes(pytester, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makepyfile(
        test_spawn="""
import multiprocessing, subprocess, sys
import pytest

def test_unmarked():
    subprocess.run([sys.executable, "-c", "pass"], check=True)

@pytest.mark.processes
def test_marked():
    subprocess.run([sys.executable, "-c", "pass"], check=True)

def test_unmarked_multiprocessing_spawn():
    process = multiprocessing.get_context("spawn").Process(target=print)
    process.start()
    process.join(60)

def test_in_process():
    assert True

def test_a_library_helper_is_not_a_product_process():
    subprocess.run(["uname", "-s"], check=True, capture_output=True)
"""
    )
    result = pytester.runpytest_subprocess("-p", "tests.conftest", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, failed=2)
    result.stdout.fnmatch_lines(["*test_unmarked *", "*starts a child process*not marked*"])
    result.stdout.fnmatch_lines(["*test_unmarked_multiprocessing_spawn*", "*starts a child process*not marked*"])
