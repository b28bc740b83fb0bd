"""The Rasa server without TensorFlow: placeholders for the five Rasa modules that load it.

No component of bot/config.yml uses TensorFlow, yet Rasa 3.6 imports it at every start: the
policies' base module reaches `rasa.utils.train_utils`, which imports the training callbacks
and the Keras data generator, and reading a model's graph imports the recipe validator, which
imports `TEDPolicy`, `DIETClassifier` and `ResponseSelector` for its checks at training time.
Measured on a 2-core machine (`make bench`, README "Benchmarks"): TensorFlow's import costs
about 3 s and 400 MB in every Rasa server process.

`install()` puts a finder first on `sys.meta_path` that answers those five modules with
placeholders: each name imported from them is a class that raises `TensorFlowNotLoaded` when
it is instantiated or used, so a pipeline that came to need one of them fails at once, naming
this module, instead of answering without it. Nothing else of Rasa changes. It is installed
only in the processes that serve a trained model (`python -m bot serve rasa`: `rasa run`,
and `rasa shell`); training, `rasa test` and the evaluation keep the real modules.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import types

# The modules that import TensorFlow on the serving path of Rasa 3.6.21 (traced with an import
# hook from `Agent.load` and `rasa.server`); tests/rasa/test_rasa_lean.py checks that loading a
# model and answering needs no other.
TENSORFLOW_MODULES = frozenset(
    {
        "rasa.utils.tensorflow.callback",
        "rasa.utils.tensorflow.data_generator",
        "rasa.nlu.classifiers.diet_classifier",
        "rasa.nlu.selectors.response_selector",
        "rasa.core.policies.ted_policy",
    }
)
SERVING_COMMANDS = frozenset({"run", "shell"})


class TensorFlowNotLoaded(AttributeError):
    """A placeholder was used: the component needs TensorFlow, which this process did not load."""


def _refuse(name: str) -> TensorFlowNotLoaded:
    return TensorFlowNotLoaded(
        f"{name} needs TensorFlow, which this Rasa server does not load (bot/rasa_lean.py): "
        "take it out of bot/config.yml, or serve without bot.rasa_lean"
    )


class _PlaceholderType(type):
    def __getattr__(cls, attribute: str):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        raise _refuse(f"{cls.__module__}.{cls.__name__}")

    def __call__(cls, *args, **kwargs):
        raise _refuse(f"{cls.__module__}.{cls.__name__}")


class PlaceholderModule(types.ModuleType):
    """Every public name is a placeholder class, made on first import."""

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        placeholder = _PlaceholderType(name, (), {"__module__": self.__name__, "__doc__": "needs TensorFlow"})
        setattr(self, name, placeholder)
        return placeholder


class _PlaceholderLoader(importlib.abc.Loader):
    def create_module(self, spec):
        return PlaceholderModule(spec.name)

    def exec_module(self, module) -> None:
        module.__file__ = __file__


class _PlaceholderFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name in TENSORFLOW_MODULES:
            return importlib.machinery.ModuleSpec(name, _PlaceholderLoader())
        return None


def installed() -> bool:
    return any(isinstance(finder, _PlaceholderFinder) for finder in sys.meta_path)


def install() -> None:
    """Before Rasa is imported. Refused once one of the modules is already loaded for real."""
    if installed():
        return
    loaded = sorted(name for name in TENSORFLOW_MODULES if name in sys.modules)
    if loaded:
        raise RuntimeError(f"bot.rasa_lean.install() after Rasa loaded {', '.join(loaded)}")
    sys.meta_path.insert(0, _PlaceholderFinder())


def install_for(rasa_argv: list[str]) -> bool:
    """Install for a serving command of Rasa's CLI (`run`, `shell`); True when installed."""
    if rasa_argv and rasa_argv[0] in SERVING_COMMANDS:
        install()
        return True
    return False
