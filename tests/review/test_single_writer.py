"""Review items are created in one place: bot/review/capture.py (the action server calls it)."""

from __future__ import annotations

import re

from bot.settings import ROOT

CREATES = re.compile(r"\bReviewItem\s*\(")


def test_only_capture_creates_review_items():
    writers = []
    for folder in ("bot", "actions"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative in ("bot/review/capture.py", "bot/review/models.py") or "/migrations/" in relative:
                continue
            if CREATES.search(path.read_text(encoding="utf-8")):
                writers.append(relative)
    assert writers == [], f"ReviewItem(...) outside bot/review/capture.py: {writers}"
