"""Reading YAML: the one loader of the project's YAML files (answers, NLU data, places, routes...).

`yaml.safe_load` parses in pure Python; libyaml's `CSafeLoader` builds the same safe objects ten
times faster (the NLU data and the held-out sets are read by the data tests, the export of reviewed
messages and the answer checks). It is used when PyYAML was built with libyaml, as its wheels are.
"""

from __future__ import annotations

import yaml

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(source):
    """The document of `source` (a string or an open file), with only YAML's plain types."""
    return yaml.load(source, Loader=SAFE_LOADER)  # noqa: S506 (a safe loader)
