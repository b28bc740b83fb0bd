"""A cost of Rasa 3.6's server that we remove, with the same behaviour.

Profiled under load (`make bench`, py-spy on the Rasa server): a third of the server's CPU
went to checking each action server response. `RemoteAction._validate_action_result`
calls `jsonschema.validate(response, schema)`, which first validates the *schema*
itself against JSON Schema's meta-schema, then builds a validator, at every custom
action call. The schema never changes: here it is checked and compiled once, and each
response is validated against it as before (same schema, same error, same message).

`install()` runs in every process that runs Rasa (`python -m bot serve rasa`,
`python -m bot rasa ...`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Text


@lru_cache(maxsize=1)
def _action_response_validator():
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # what jsonschema.validate did at every call
    return cls(schema)


def _validate_action_result(self, result: Dict[Text, Any]) -> bool:
    """`RemoteAction._validate_action_result` (Rasa 3.6), with the validator compiled once."""
    from jsonschema.exceptions import best_match
    from rasa.shared.constants import DOCS_BASE_URL

    error = best_match(_action_response_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the "
            f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def install() -> None:
    from rasa.core.actions.action import RemoteAction

    RemoteAction._validate_action_result = _validate_action_result
