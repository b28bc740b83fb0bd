"""`UnknownWordsGuard`: a message made of words the assistant never saw is not a question.

"xqzw plokj vbnmz" or a sentence in German has no answer near it, but a linear model still
spreads its probability over the labels, and one of them may pass the fallback threshold.
This guard keeps the normalised words of the training data (out-of-scope examples left out); when fewer than
`min_known_share` of a message's words are among them, it sets the intent's confidence to
0 so that the FallbackClassifier after it asks to rephrase (then offers a conseiller), and
the answer classifier's decision becomes `decline` (its candidates and ranking stay, their
intents' confidences at 0 too): a message of unknown words gets no clarifying question between
answers it cannot be about.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Text, Type

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu import source_fingerprint
from bot.nlu.decision import DECISION_KEY, DECLINE

WORDS_FILE = "known_words.json"
MIN_KNOWN_SHARE = 0.34  # below it, a message is of words never seen (bot/config.yml sets the same)


def words_of(message: Message) -> list[str]:
    return [
        t.lemma or t.text.lower() for t in message.get(TOKENS_NAMES[TEXT]) or [] if any(c.isalpha() for c in t.text)
    ]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class UnknownWordsGuard(GraphComponent):
    @classmethod
    def required_components(cls) -> List[Type]:
        return [Tokenizer]

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        return source_fingerprint(__name__)

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"min_known_share": MIN_KNOWN_SHARE}

    def __init__(
        self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource, known: set[str] | None = None
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.known = known or set()

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "UnknownWordsGuard":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        # Not the out-of-scope examples' words: "Wie spät ist es" is there, and its words are
        # no part of what the assistant talks about.
        self.known = {
            w
            for example in training_data.intent_examples
            if example.get(INTENT) != "out_of_scope"
            for w in words_of(example)
        }
        with self._model_storage.write_to(self._resource) as folder:
            (folder / WORDS_FILE).write_text(json.dumps(sorted(self.known)), encoding="utf-8")
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            words = words_of(message)
            intent = message.get(INTENT)
            if not words or not self.known or not intent:
                continue
            if sum(w in self.known for w in words) / len(words) < self.config["min_known_share"]:
                message.set(INTENT, {**intent, PREDICTED_CONFIDENCE_KEY: 0.0}, add_to_output=True)
                # No confidence in any intent either: the contract's best guess (bot/classification.py)
                # keeps its order, not a probability spread over words it never saw.
                ranking = message.get(INTENT_RANKING_KEY)
                if ranking:
                    zeroed = [{**r, PREDICTED_CONFIDENCE_KEY: 0.0} for r in ranking]
                    message.set(INTENT_RANKING_KEY, zeroed, add_to_output=True)
                decision = message.get(DECISION_KEY)
                if isinstance(decision, dict):  # no clarifying question between answers it cannot be about
                    message.set(DECISION_KEY, {**decision, "decision": DECLINE, "answer": None}, add_to_output=True)
        return messages

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "UnknownWordsGuard":
        try:
            with model_storage.read_from(resource) as folder:
                known = set(json.loads((folder / WORDS_FILE).read_text(encoding="utf-8")))
        except (ValueError, OSError):
            known = set()
        return cls(config, model_storage, resource, known)
