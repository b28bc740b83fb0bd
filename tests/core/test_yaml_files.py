"""The one YAML loader: libyaml's safe loader when PyYAML has it, and never more than YAML's plain types."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.yaml_files import SAFE_LOADER, load_yaml

ROOT = Path(__file__).resolve().parents[2]


def test_the_fast_safe_loader_is_used_when_pyyaml_has_libyaml():
    assert issubclass(SAFE_LOADER, yaml.constructor.SafeConstructor)
    if yaml.__with_libyaml__:
        assert SAFE_LOADER is yaml.CSafeLoader


def test_it_reads_the_project_files_as_the_pure_python_safe_loader_does():
    for path in [*sorted((ROOT / "data" / "nlu").glob("faq_*.yml"))[:3], ROOT / "data" / "places" / "metz.yml"]:
        text = path.read_text(encoding="utf-8")
        assert load_yaml(text) == yaml.load(text, Loader=yaml.SafeLoader), path


def test_it_builds_no_python_object():
    with pytest.raises(yaml.constructor.ConstructorError):
        load_yaml("!!python/object/apply:os.system ['echo hacked']")
