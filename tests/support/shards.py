"""`make check` in N shares side by side (`--shard I/N`), dealt before collection.

Each share imports only its own test files: the files are dealt to the shares by the seconds each
one took (tests/durations.json: its import and its tests, in the tier `make check` runs, written by
`make check-durations`), the longest first to the share with the least, so the shares end together.
The files that import Rasa (and with it TensorFlow, 6 s of imports) go to one share together, which
pays that import once. A file not in tests/durations.json weighs as the median file.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from pathlib import Path

import pytest

# `from rasa...` or `import rasa...`, not rasa_sdk (the action server's, light).
IMPORTS_RASA = re.compile(r"^\s*(?:from|import)\s+rasa(?:\.|\s)", re.MULTILINE)


def test_files(tests_dir: Path) -> list[Path]:
    return sorted(p for p in tests_dir.rglob("test_*.py") if "node_modules" not in p.parts)


def deal(files: list[str], weights: dict[str, float], heavy: set[str], count: int) -> list[list[str]]:
    """The files of each share: the heavy ones as one bundle, then the longest first, each to the
    share with the fewest seconds so far (ties: the first share)."""
    known = [weights[f] for f in files if f in weights]
    default = statistics.median(known) if known else 1.0
    bundles = [[f] for f in files if f not in heavy]
    if heavy & set(files):
        bundles.append(sorted(heavy & set(files)))

    def seconds(bundle: list[str]) -> float:
        return sum(weights.get(f, default) for f in bundle)

    shares: list[list[str]] = [[] for _ in range(count)]
    totals = [0.0] * count
    for bundle in sorted(bundles, key=lambda b: (-seconds(b), b)):
        i = totals.index(min(totals))
        shares[i].extend(bundle)
        totals[i] += seconds(bundle)
    return shares


class Shard:
    """Ignores, before they are imported, the test files of the other shares."""

    def __init__(self, value: str, rootdir: Path, durations: Path) -> None:
        try:
            index, count = (int(part) for part in value.split("/"))
        except ValueError:
            raise pytest.UsageError(f"--shard {value}: expected I/N") from None
        if not 1 <= index <= count:
            raise pytest.UsageError(f"--shard {value}: I must be between 1 and N")
        self.rootdir = rootdir
        files = test_files(rootdir / "tests")
        names = [p.relative_to(rootdir).as_posix() for p in files]
        weights = json.loads(durations.read_text()) if durations.exists() else {}
        heavy = {n for n, p in zip(names, files) if IMPORTS_RASA.search(p.read_text(encoding="utf-8"))}
        self.mine = set(deal(names, weights, heavy, count)[index - 1])

    def pytest_ignore_collect(self, collection_path: Path, config):
        if collection_path.suffix == ".py" and collection_path.name.startswith("test_"):
            try:
                name = collection_path.relative_to(self.rootdir).as_posix()
            except ValueError:
                return None
            if name not in self.mine:
                return True
        return None


class DurationRecorder:
    """`--record-durations FILE`: each test file's seconds (its import, and its tests' setup, call
    and teardown) written to FILE at the end, for Shard to deal by (`make check-durations`)."""

    def __init__(self, path: Path, rootdir: Path) -> None:
        self.path, self.rootdir = path, rootdir
        self.seconds: dict[str, float] = {}
        self._started: dict[str, float] = {}

    def _name(self, nodeid: str) -> str:
        return nodeid.split("::")[0]

    def pytest_collectstart(self, collector):
        if isinstance(collector, pytest.Module):
            self._started[collector.nodeid] = time.perf_counter()

    def pytest_collectreport(self, report):
        if report.nodeid in self._started:
            elapsed = time.perf_counter() - self._started.pop(report.nodeid)
            self.seconds[report.nodeid] = self.seconds.get(report.nodeid, 0.0) + elapsed

    def pytest_runtest_logreport(self, report):
        name = self._name(report.nodeid)
        self.seconds[name] = self.seconds.get(name, 0.0) + report.duration

    def pytest_sessionfinish(self, session):
        data = {name: round(value, 2) for name, value in sorted(self.seconds.items())}
        self.path.write_text(json.dumps(data, indent=1) + "\n")
