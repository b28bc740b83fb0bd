"""`python -m bot classify`: the classification contract on stdin/stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from bot.classification import REQUESTS, THEMATIQUES
from bot.settings import ROOT

KEYS = {"text", "intent", "confidence", "request", "thematique", "answer", "decision", "candidates"}


def test_classify_reads_lines_and_writes_one_json_object_per_line(model_path):
    lines = ["bonjour", "", "🙂🙂", "merci beaucoup", "a" * 2000, "'; DROP TABLE residents; --"]
    result = subprocess.run(
        [sys.executable, "-m", "bot", "classify", "--model", str(model_path)],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ},
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outputs = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(outputs) == len(lines)
    for text, output in zip(lines, outputs):
        assert set(output) == KEYS
        assert output["text"] == text
        assert output["request"] in REQUESTS
        assert output["thematique"] is None or output["thematique"] in THEMATIQUES
        assert 0.0 <= output["confidence"] <= 1.0
        assert output["decision"] in ("answer", "clarify", "decline")
        assert isinstance(output["candidates"], list) and len(output["candidates"]) <= 3
        assert all(c.startswith(("faq_", "urgence/")) and "/" in c for c in output["candidates"])
        assert (output["answer"] is None) == (output["decision"] != "answer")
        assert output["answer"] is None or output["answer"] == output["candidates"][0]
    assert outputs[0]["request"] == "salutation"
    assert outputs[3]["request"] == "remerciement"
    assert outputs[0]["decision"] == "decline" and outputs[0]["answer"] is None  # a greeting asks nothing
