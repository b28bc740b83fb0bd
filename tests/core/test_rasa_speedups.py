"""The action server's responses are checked as Rasa checks them, with a validator compiled once."""

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
