"""`make check`'s shares (tests/support/shards.py): every test file in exactly one share, dealt by
its measured seconds, the Rasa importers together, and a share never imports another's files."""

from __future__ import annotations

import pytest

from bot.settings import ROOT
from tests.support.shards import deal

pytest_plugins = ["pytester"]


def test_files_are_dealt_by_their_seconds_and_the_rasa_importers_stay_together():
    files = ["a.py", "b.py", "c.py", "d.py", "rasa1.py", "rasa2.py", "new.py"]
    weights = {"a.py": 10, "b.py": 6, "c.py": 4, "d.py": 1, "rasa1.py": 3, "rasa2.py": 4}
    shares = deal(files, weights, heavy={"rasa1.py", "rasa2.py"}, count=2)
    assert sorted(f for share in shares for f in share) == sorted(files)  # each file once
    together = [share for share in shares if "rasa1.py" in share]
    assert len(together) == 1 and "rasa2.py" in together[0]
    seconds = [sum(weights.get(f, 4) for f in share) for share in shares]  # new.py weighs the median, 4
    assert abs(seconds[0] - seconds[1]) <= 2


@pytest.mark.processes
def test_a_share_never_imports_the_files_of_the_other(pytester, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    tests = pytester.mkdir("tests")  # not a package: `tests.support` stays the project's
    (tests / "test_one.py").write_text("def test_one():\n    assert True\n")
    (tests / "test_two.py").write_text("raise RuntimeError('imported by the wrong share')\n")
    (tests / "durations.json").write_text('{"tests/test_one.py": 5, "tests/test_two.py": 1}')
    pytester.makeconftest(
        "from pathlib import Path\n"
        "from tests.support.shards import Shard\n"
        "def pytest_configure(config):\n"
        "    root = Path(str(config.rootpath))\n"
        "    config.pluginmanager.register(Shard('1/2', root, root / 'tests' / 'durations.json'))\n"
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
