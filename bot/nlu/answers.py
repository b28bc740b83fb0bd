"""`AnswerSelector`: which answer of a topic the resident asked for, without TensorFlow.

A retrieval intent (`faq_email`) has sub-intents (`faq_email/mot_de_passe_oublie`,
`faq_email/piece_jointe`...), each with its answer `utter_faq_email/...` in the domain.
Rasa's ResponseSelector picks one with a neural network; this component does the same
job with one logistic regression per retrieval intent, over the same sparse features
as the intent classifier. Measured on our data (README, "NLU figures"): the same
choices, trained in seconds instead of minutes, and no TensorFlow graph to build at
every start (Rasa's ResponseSelector and DIETClassifier took 70 of the 78 seconds of
a cold start).

It only chooses among the answers of the intent the classifier found, so an e-mail
question never gets a health answer. It writes Rasa's `response_selector` property
(keyed by the retrieval intent), so the domain's `utter_faq_email` action
(ActionRetrieveResponse) and `rasa test` work unchanged. The answers' texts stay in the
domain: they are not copied into every parse (and so into every stored event).
"""
from __future__ import annotations

import json
import logging
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_PROPERTY_NAME,
    RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RETRIEVAL_INTENTS,
    RESPONSE_SELECTOR_UTTER_ACTION_KEY,
)
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.linear import LinearComponent, LinearModel, sentence_features

log = logging.getLogger(__name__)
INDEX_FILE = "retrieval_intents.json"  # the retrieval intents, in the order of their model files


def utter_action(intent_response_key: str) -> str:
    """`faq_email/piece_jointe` -> `utter_faq_email/piece_jointe` (the domain's response)."""
    return f"utter_{intent_response_key}"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class AnswerSelector(LinearComponent):
    """Chooses the sub-intent (the answer) of the retrieval intent the classifier found."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**LinearComponent.get_default_config(), "ranking_length": 5}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 selectors: Dict[str, LinearModel] | None = None) -> None:
        super().__init__(config, model_storage, resource)
        self.selectors: Dict[str, LinearModel] = selectors or {}

    # --- training ------------------------------------------------------------------

    def train(self, training_data: TrainingData) -> Resource:
        by_intent: Dict[str, List[Message]] = {}
        for example in training_data.intent_examples:
            if example.get(INTENT) in training_data.retrieval_intents and example.get(INTENT_RESPONSE_KEY):
                by_intent.setdefault(example.get(INTENT), []).append(example)
        self.selectors = {intent: self.fit(examples, [e.get(INTENT_RESPONSE_KEY) for e in examples])
                          for intent, examples in sorted(by_intent.items())}
        with self._model_storage.write_to(self._resource) as folder:
            names = sorted(self.selectors)
            (folder / INDEX_FILE).write_text(json.dumps(names))
            for number, intent in enumerate(names):
                self.selectors[intent].save(folder / f"{number}.npz")
        return self._resource

    # --- inference -----------------------------------------------------------------

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get("name")
            properties = {RESPONSE_SELECTOR_RETRIEVAL_INTENTS: sorted(self.selectors)}
            if intent in self.selectors:
                properties[intent] = self._select(self.selectors[intent], message)
            message.set(RESPONSE_SELECTOR_PROPERTY_NAME, properties, add_to_output=True)
        return messages

    def _select(self, selector: LinearModel, message: Message) -> Dict[str, Any]:
        ranking = selector.ranking(sentence_features([message]), self.config["ranking_length"])
        best, confidence = ranking[0]
        return {
            RESPONSE_SELECTOR_PREDICTION_KEY: {
                INTENT_RESPONSE_KEY: best,
                PREDICTED_CONFIDENCE_KEY: confidence,
                RESPONSE_SELECTOR_UTTER_ACTION_KEY: utter_action(best),
            },
            RESPONSE_SELECTOR_RANKING_KEY: [
                {INTENT_RESPONSE_KEY: key, PREDICTED_CONFIDENCE_KEY: p} for key, p in ranking
            ],
        }

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "AnswerSelector":
        try:
            with model_storage.read_from(resource) as folder:
                names = json.loads((folder / INDEX_FILE).read_text())
                selectors = {intent: LinearModel.load(folder / f"{number}.npz") for number, intent in enumerate(names)}
        except (ValueError, OSError):
            log.warning("AnswerSelector: the model holds no trained selectors; answers will not be chosen")
            selectors = {}
        return cls(config, model_storage, resource, selectors)
