"""The Rasa server runs without TensorFlow (bot/rasa_lean.py), and answers as before."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from bot import rasa_lean

ROOT = Path(__file__).resolve().parents[2]

# In a fresh interpreter: the placeholders installed before Rasa, then what the server does.
LOAD_AND_PARSE = """
import asyncio, json, sys
from bot import rasa_lean
rasa_lean.install()
import rasa.__main__, rasa.server, rasa.core.run
from rasa.core.agent import Agent
agent = Agent.load(sys.argv[1])
parse = asyncio.run(agent.parse_message("comment on envoie une photo par mail ?"))
from rasa.core.policies.ted_policy import TEDPolicy
try:
    TEDPolicy()
    refused = None
except rasa_lean.TensorFlowNotLoaded as error:
    refused = str(error)
print(json.dumps({
    "tensorflow": sorted(m for m in sys.modules if m == "tensorflow" or m.startswith("tensorflow.")),
    "intent": parse["intent"]["name"],
    "answer": parse["answer_decision"]["answer"],
    "refused": refused,
}))
"""


def run_python(code: str, *args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_only_the_serving_commands_install_it(monkeypatch):
    calls = []
    monkeypatch.setattr(rasa_lean, "install", lambda: calls.append(1))
    assert rasa_lean.install_for(["run", "--model", "m.tar.gz"])
    assert rasa_lean.install_for(["shell"])
    for argv in (["train"], ["test", "core"], ["data", "validate"], []):
        assert not rasa_lean.install_for(argv)
    assert len(calls) == 2


def test_a_placeholder_refuses_to_be_used_and_names_the_module():
    module = rasa_lean.PlaceholderModule("rasa.core.policies.ted_policy")
    placeholder = module.TEDPolicy
    assert module.TEDPolicy is placeholder  # the same class at each import
    with pytest.raises(rasa_lean.TensorFlowNotLoaded, match="bot/rasa_lean.py"):
        placeholder()
    with pytest.raises(rasa_lean.TensorFlowNotLoaded, match="TEDPolicy"):
        placeholder.load
    assert not issubclass(int, placeholder)  # what the recipe validator asks of it
    with pytest.raises(AttributeError):
        module.__path__


@pytest.mark.processes
def test_installing_after_rasa_loaded_the_modules_is_refused():
    code = (
        "import json\nimport rasa.core.policies.ted_policy\nfrom bot import rasa_lean\n"
        "try:\n    rasa_lean.install()\n    print(json.dumps({'refused': False}))\n"
        "except RuntimeError as e:\n    print(json.dumps({'refused': str(e)}))\n"
    )
    assert "rasa.core.policies.ted_policy" in run_python(code)["refused"]


@pytest.mark.processes
def test_the_trained_model_loads_and_answers_without_tensorflow(model_path):
    seen = run_python(LOAD_AND_PARSE, str(model_path))
    assert seen["tensorflow"] == []
    assert seen["intent"] == "faq_email"
    assert seen["answer"] == "faq_email/piece_jointe"
    assert "needs TensorFlow" in seen["refused"]


@pytest.mark.live
def test_the_rasa_server_maps_no_tensorflow_library(live_bot):
    """The real server (`python -m bot serve rasa`): no TensorFlow shared object in its memory."""
    assert live_bot.texts(f"lean-{uuid.uuid4()}", "bonjour")
    maps = Path(f"/proc/{live_bot.processes[1].pid}/maps").read_text()
    assert "site-packages/scipy" in maps  # the libraries it loads are seen there
    assert "libtensorflow" not in maps and "_pywrap_tensorflow" not in maps
