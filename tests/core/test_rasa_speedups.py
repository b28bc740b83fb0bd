"""The action server's responses are checked as Rasa checks them, with a validator compiled once; the NLU
files are read once per process."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot import rasa_speedups

RESPONSES = [
    {"events": [{"event": "slot", "name": "besoin", "value": "mail"}], "responses": [{"text": "Bonjour"}]},
    {"events": [], "responses": []},
    {"events": "nope"},
    {"events": [{"event": "slot", "name": 3}]},
    {"responses": ["not an object"]},
]


@pytest.fixture
def installed(monkeypatch):
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    rasa_speedups.install()


@pytest.mark.parametrize("response", RESPONSES)
def test_the_same_responses_pass_and_fail_as_with_jsonschema_validate(installed, response):
    action = RemoteAction("action_check_appointment", None)
    try:
        jsonschema.validate(response, RemoteAction.action_response_format_spec())
        expected = None
    except jsonschema.ValidationError as error:
        expected = error.message
    if expected is None:
        assert action._validate_action_result(response) is True
    else:
        with pytest.raises(jsonschema.ValidationError) as raised:
            action._validate_action_result(response)
        assert raised.value.message.startswith(expected)
        assert "Failed to validate Action server response" in raised.value.message


def test_the_schema_is_checked_once_not_at_every_response(installed, monkeypatch):
    action = RemoteAction("action_check_appointment", None)
    action._validate_action_result(RESPONSES[0])
    calls = []
    validator_class = type(rasa_speedups._action_response_validator())
    monkeypatch.setattr(validator_class, "check_schema", classmethod(lambda cls, schema: calls.append(schema)))
    for _ in range(3):
        action._validate_action_result(RESPONSES[0])
    assert calls == []


# --- the NLU files read once per process -----------------------------------------------------

NLU = """version: "3.1"
nlu:
- intent: greet
  examples: |
    - bonjour
    - salut
"""


@pytest.fixture
def counted_loads(monkeypatch):
    """The loader installed over a counting copy of Rasa's own."""
    from rasa.shared.importers import utils as importer_utils

    original = getattr(importer_utils.training_data_from_paths, "original", importer_utils.training_data_from_paths)
    calls = []

    def counting(paths, language):
        calls.append(tuple(paths))
        return original(paths, language)

    monkeypatch.setattr(importer_utils, "training_data_from_paths", counting)
    monkeypatch.setattr(rasa_speedups, "_TRAINING_DATA", {})
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    rasa_speedups.install()
    return calls


def importer_of(folder):
    from rasa.shared.importers.importer import TrainingDataImporter

    return TrainingDataImporter.load_from_dict({"language": "fr"}, None, None, [str(folder)])


def test_each_nlu_file_is_read_once_and_every_importer_gets_its_own_copy(tmp_path, counted_loads):
    (tmp_path / "nlu.yml").write_text(NLU, encoding="utf-8")
    first = importer_of(tmp_path).get_nlu_data()
    second = importer_of(tmp_path).get_nlu_data()
    assert len(counted_loads) == 1
    assert sorted(m.get("text") for m in first.intent_examples) == ["bonjour", "salut"]
    first.intent_examples[0].set("text", "changed")
    assert sorted(m.get("text") for m in second.intent_examples) == ["bonjour", "salut"]


def test_a_changed_file_is_read_again(tmp_path, counted_loads):
    path = tmp_path / "nlu.yml"
    path.write_text(NLU, encoding="utf-8")
    importer_of(tmp_path).get_nlu_data()
    path.write_text(NLU + "    - coucou\n", encoding="utf-8")
    again = importer_of(tmp_path).get_nlu_data()
    assert len(counted_loads) == 2
    assert "coucou" in {m.get("text") for m in again.intent_examples}
