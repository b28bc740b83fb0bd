"""`LinearIntentClassifier`: the intent of a resident's message, by logistic regression.

Rasa's LogisticRegressionClassifier does the same job; this one is configurable
(solver, regularisation) and loads in milliseconds (bot/nlu/linear.py says why).
Chosen over DIETClassifier by measurement (README, "NLU figures"): as accurate on
the held-out set and on its noisy copy, trained in seconds instead of minutes, and
no TensorFlow graph to build at every start.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.linear import LinearComponent, LinearModel, sentence_features

log = logging.getLogger(__name__)
MODEL_FILE = "intents.npz"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(IntentClassifier, LinearComponent):
    """One logistic regression over the sentence features; writes `intent` and `intent_ranking`."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            **LinearComponent.get_default_config(),
            "class_weight_balanced": True,  # intents have from 40 to 200 examples
            "ranking_length": 10,
        }

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 model: LinearModel | None = None) -> None:
        super().__init__(config, model_storage, resource)
        self.model = model

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get("text")]
        if not examples:
            return self._resource
        self.model = self.fit(examples, [e.get(INTENT) for e in examples], balanced=self.config["class_weight_balanced"])
        with self._model_storage.write_to(self._resource) as folder:
            self.model.save(folder / MODEL_FILE)
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        if self.model is None:
            return messages
        for message in messages:
            ranking = [{INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: p}
                       for name, p in self.model.ranking(sentence_features([message]), self.config["ranking_length"])]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "LinearIntentClassifier":
        try:
            with model_storage.read_from(resource) as folder:
                model = LinearModel.load(folder / MODEL_FILE)
        except (ValueError, OSError):
            log.warning("LinearIntentClassifier: the model holds no trained classifier")
            model = None
        return cls(config, model_storage, resource, model)
