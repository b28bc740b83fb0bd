"""A logistic regression over a message's sentence features, stored as plain arrays.

What `LinearIntentClassifier` and `AnswerSelector` (bot/nlu/intents.py, answers.py) share:
`LinearModel`, and `LinearComponent`, their common Rasa side (configuration,
creation, fitting). scikit-learn fits the model; prediction is three lines of numpy,
and the model is saved as a `.npz` file of arrays (no pickle, nothing to trust):
loading it takes milliseconds, where Rasa's LogisticRegressionClassifier spends 15
seconds of every cold start in skops' type check (it scans every module TensorFlow
imported).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Text, Type

import numpy as np
from scipy.sparse import csr_matrix, hstack, vstack
from scipy.special import expit, softmax

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu import source_fingerprint


def sentence_features(messages: List[Message]) -> csr_matrix:
    """One row per message: its sentence-level sparse and dense features, side by side.

    The count featurizers' sentence features are the counts of the whole message's
    words and character n-grams.
    """
    rows = []
    for message in messages:
        sparse = message.get_sparse_features(TEXT)[1]
        dense = message.get_dense_features(TEXT)[1]
        if dense is None:  # our pipeline: counts only (scipy's hstack costs a millisecond a call)
            rows.append(csr_matrix(sparse.features) if sparse else csr_matrix((1, 0)))
        else:
            rows.append(hstack([csr_matrix(sparse.features if sparse else []), csr_matrix(dense.features)]))
    return rows[0].tocsr() if len(rows) == 1 else vstack(rows).tocsr()


@dataclass
class LinearModel:
    """Labels, one weight row per label (one-vs-rest) or per label (multinomial), biases."""

    classes: np.ndarray  # label names
    coef: np.ndarray  # (rows, features)
    intercept: np.ndarray  # (rows,)
    one_vs_rest: bool

    @classmethod
    def fit(cls, features: csr_matrix, labels: Sequence[str], C: float = 1.0, solver: str = "liblinear",
            balanced: bool = False, max_iter: int = 300, random_state: int = 42) -> "LinearModel":
        """Fit scikit-learn's LogisticRegression; liblinear is one-vs-rest, lbfgs multinomial."""
        classes = np.array(sorted(set(labels)))
        if len(classes) == 1:  # nothing to choose: a model that always answers it
            return cls(classes, np.zeros((0, features.shape[1])), np.zeros(0), one_vs_rest=True)
        from sklearn.linear_model import LogisticRegression

        fitted = LogisticRegression(C=C, solver=solver, max_iter=max_iter, random_state=random_state,
                                    class_weight="balanced" if balanced else None).fit(features, list(labels))
        return cls(fitted.classes_.astype(str), fitted.coef_, fitted.intercept_, one_vs_rest=solver == "liblinear")

    def predict_proba(self, features: csr_matrix) -> np.ndarray:
        """Probabilities per label, computed as scikit-learn's `predict_proba` does."""
        if len(self.classes) == 1:
            return np.ones((features.shape[0], 1))
        if features.shape[1] == 0:  # a message with no token ("", "🙂🙂"): no feature at all
            features = csr_matrix((features.shape[0], self.coef.shape[1]))
        scores = np.asarray(features @ self.coef.T) + self.intercept
        if len(self.classes) == 2:  # one row of weights: the second label against the first
            second = expit(scores[:, 0])
            return np.column_stack([1 - second, second])
        if self.one_vs_rest:
            probabilities = expit(scores)
            return probabilities / probabilities.sum(axis=1, keepdims=True)
        return softmax(scores, axis=1)

    def ranking(self, features: csr_matrix, length: int) -> List[tuple[str, float]]:
        """The `length` most probable labels of one message, best first."""
        probabilities = self.predict_proba(features)[0]
        order = np.argsort(-probabilities, kind="stable")[: max(1, length)]
        return [(str(self.classes[i]), float(probabilities[i])) for i in order]

    def save(self, path: Path) -> None:
        np.savez(path, classes=self.classes.astype(str), coef=self.coef, intercept=self.intercept,
                 one_vs_rest=np.array(self.one_vs_rest))

    @classmethod
    def load(cls, path: Path) -> "LinearModel":
        with np.load(path, allow_pickle=False) as data:
            return cls(data["classes"], data["coef"], data["intercept"], bool(data["one_vs_rest"]))


class LinearComponent(GraphComponent):
    """The Rasa side of a component built on `LinearModel`s: its configuration and fitting."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [Featurizer]

    @staticmethod
    def required_packages() -> List[Text]:
        return ["sklearn"]

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        return source_fingerprint(cls.__module__, __name__)

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "C": 1.0,  # inverse regularisation strength
            "solver": "liblinear",  # one-vs-rest: a tenth of lbfgs's time on our counts, as accurate
            "max_iter": 300,
            "random_state": 42,
        }

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "LinearComponent":
        return cls(config, model_storage, resource)

    def fit(self, messages: List[Message], labels: Sequence[str], balanced: bool = False) -> LinearModel:
        return LinearModel.fit(sentence_features(messages), labels, C=self.config["C"], solver=self.config["solver"],
                               balanced=balanced, max_iter=self.config["max_iter"],
                               random_state=self.config["random_state"])
