"""Two costs of Rasa 3.6 that we remove, with the same behaviour.

**Each action server response's schema, checked again at every call.** Profiled under load
(`make bench`, py-spy on the Rasa server): a third of the server's CPU went to checking each
action server response. `RemoteAction._validate_action_result`
calls `jsonschema.validate(response, schema)`, which first validates the *schema*
itself against JSON Schema's meta-schema, then builds a validator, at every custom
action call. The schema never changes: here it is checked and compiled once, and each
response is validated against it as before (same schema, same error, same message).

**The NLU files, read three times by one `rasa train`.** Its validation, then the training's
importers each call `RasaFileImporter.get_nlu_data`, which parses and schema-checks the 204
files of data/nlu again (7 s each time on a 2-core machine; Rasa's own `cached_method`
misses, the importers being different objects). `training_data_from_paths` is kept per
process, keyed by the paths, the language and each file's size and modification time: a
changed file is read again. Every caller merges what it gets into a new `TrainingData`
(`merge` deep-copies the examples), so sharing the object changes nothing downstream.

`install()` runs in every process that runs Rasa (`python -m bot serve rasa`,
`python -m bot rasa ...`).
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any, Dict, Iterable, Text


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


_TRAINING_DATA: Dict[tuple, Any] = {}


def _file_state(path: Text) -> tuple:
    state = os.stat(path)
    return (state.st_size, state.st_mtime_ns)


def _training_data_from_paths(original):
    def training_data_from_paths(paths: Iterable[Text], language: Text):
        paths = tuple(paths)
        key = (paths, language, tuple(_file_state(path) for path in paths))
        if key not in _TRAINING_DATA:
            _TRAINING_DATA[key] = original(paths, language)
        return _TRAINING_DATA[key]

    training_data_from_paths.original = original
    return training_data_from_paths


def install() -> None:
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.importers import utils as importer_utils

    RemoteAction._validate_action_result = _validate_action_result
    loader = importer_utils.training_data_from_paths
    importer_utils.training_data_from_paths = _training_data_from_paths(getattr(loader, "original", loader))
