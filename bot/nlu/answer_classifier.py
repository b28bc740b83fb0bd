"""`AnswerClassifier`: the answer is the unit of understanding.

One linear model chooses among every answer key (`faq_email/spams`, `urgence/carte_bancaire`)
and every conversational intent (`greet`, `book_appointment`...) at once; the intent
(`faq_email`, so that rules and `utter_faq_email` keep working) and the thematique follow
from the answer. The earlier design chose a topic first and an answer inside it, and the
two errors compounded; scripts/answer_lab.py measures both (README, "NLU figures").

- Features: bot/nlu/features.py (words, typo-robust character n-grams, word pairs, the
  sentence that asks weighed on its own, negated words apart), TF-IDF rows.
- Model: a linear SVM (one-vs-rest, liblinear) over those rows; its scores become
  probabilities by temperature scaling fitted on a cross-validation of the training data
  (bot/nlu/calibration.py): a confidence of 0.8 is right about 8 times in 10.
- Output, in Rasa's shapes: `intent` (the best answer's retrieval intent, with the summed
  probability of its answers) and `intent_ranking`; `response_selector` (the answers of that
  intent, as Rasa's ResponseSelector writes it, for `utter_faq_email` and `rasa test`);
  `answer_decision` (bot/nlu/decision.py: answer, clarify or decline, up to three
  candidates); `negated` (bot/nlu/negation.py: the devices, e-mail and logins the message
  says are missing), and `"negated": true` on the `appareil` entities among them;
  `request_topic` on a request for a person (bot/nlu/request_topic.py): the help intent it
  is about ("un rendez-vous pour mes mails": `faq_email`), or null; `question_topic` on a
  help question (an answer key or `no_answer` first): the given answer's thematique, else the
  best of a second linear model trained on thematiques, weighed by the lexicon of each
  thematique's domain (bot/nlu/question_topic.py, bot/nlu/topic_lexicon.py). Examples whose
  block says `topic_only: true` (questions without an answer written to teach their topic)
  train that thematique model only, never the answer model; those whose block says
  `answer_only: true` (answerable examples in hard styles, whose context names other topics)
  train the answer model only.

The model is stored as plain arrays and JSON (no pickle): loading takes milliseconds.
"""

from __future__ import annotations

import hashlib
import json
import logging
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Dict, List, Optional, Text, Type

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_PROPERTY_NAME,
    RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RETRIEVAL_INTENTS,
    RESPONSE_SELECTOR_UTTER_ACTION_KEY,
    TOKENS_NAMES,
)
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    INTENT_RESPONSE_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix

from bot.nlu import source_fingerprint
from bot.nlu.calibration import DEFAULT_TEMPERATURE, fit_temperature, probabilities
from bot.nlu.decision import ANSWER, DECISION_KEY, decide_ranking
from bot.nlu.features import Token, Vocabulary, feature_names
from bot.nlu.negation import negated_flags, negated_mentions
from bot.nlu.question_topic import QUESTIONS_WITHOUT_AN_ANSWER, help_thematique, topic_labels
from bot.nlu.request_topic import PERSON_REQUESTS, learn_request_words, request_topic
from bot.nlu.scope import is_help_label, scoped
from bot.nlu.topic_lexicon import LEXICON_FILE, TopicLexicon, spacy_words
from bot.nlu.unknown_words import MIN_KNOWN_SHARE

log = logging.getLogger(__name__)
MODEL_FILE = "answers.npz"
TOPIC_MODEL_FILE = "topics.npz"  # the thematique model of questions without an answer (bot/nlu/question_topic.py)
META_FILE = "answers.json"
NEGATED_KEY = "negated"
REQUEST_TOPIC_KEY = "request_topic"  # the help intent a request for a person is about (bot/nlu/request_topic.py)
QUESTION_TOPIC_KEY = "question_topic"  # the most probable thematique of a help question (bot/nlu/question_topic.py)
TRAINING_THREADS = 2  # the fits run side by side (the design card's 2 cores)


def base_of(label: str) -> str:
    return label.split("/", 1)[0]


def utter_action(intent_response_key: str) -> str:
    """`faq_email/piece_jointe` -> `utter_faq_email/piece_jointe` (the domain's response)."""
    return f"utter_{intent_response_key}"


def tokens_of(message: Message) -> list[Token]:
    return [Token(t.lemma or t.text.lower(), t.start, t.end) for t in message.get(TOKENS_NAMES[TEXT]) or []]


class JointModel:
    """Labels, one weight row per label (one-vs-rest scores), and the calibration temperature."""

    def __init__(self, classes: np.ndarray, coef: csr_matrix, intercept: np.ndarray, temperature: float) -> None:
        self.classes = classes
        self.coef_t = coef.T.tocsr()  # (features, labels): one product per message
        self.coef = coef
        self.intercept = intercept
        self.temperature = temperature

    @staticmethod
    def fit_scores(features: csr_matrix, labels: list[str], C: float):
        from sklearn.svm import LinearSVC

        fitted = LinearSVC(C=C, random_state=42).fit(features, labels)
        return fitted

    @classmethod
    def fit(cls, features: csr_matrix, labels: list[str], C: float, temperature: float, prune: float) -> "JointModel":
        return cls.of(cls.fit_scores(features, labels, C), temperature, prune)

    @classmethod
    def of(cls, fitted, temperature: float, prune: float) -> "JointModel":
        """The model of a fitted LinearSVC, its weights pruned."""
        coef = fitted.coef_.astype(np.float32)
        coef[np.abs(coef) < prune] = 0.0  # most weights are tiny: a sparse model, a tenth of the memory
        return cls(fitted.classes_.astype(str), csr_matrix(coef), fitted.intercept_.astype(np.float32), temperature)

    def scores(self, features: csr_matrix) -> np.ndarray:
        if features.shape[0] == 1:
            # One message holds a few hundred of the features: summing their weight rows is ten
            # times faster than a sparse-by-sparse product (3 ms) at every parse.
            row = features.tocsr()
            return (self.coef_t[row.indices].T @ row.data)[np.newaxis, :] + self.intercept
        return np.asarray((features @ self.coef_t).todense()) + self.intercept

    def ranking(self, features: csr_matrix) -> list[tuple[str, float]]:
        probs = probabilities(self.scores(features), self.temperature)[0]
        order = np.argsort(-probs, kind="stable")
        return [(str(self.classes[i]), float(probs[i])) for i in order]

    def save(self, path) -> None:
        np.savez(
            path,
            classes=self.classes.astype(str),
            data=self.coef.data,
            indices=self.coef.indices,
            indptr=self.coef.indptr,
            shape=np.array(self.coef.shape),
            intercept=self.intercept,
            temperature=np.array(self.temperature),
        )

    @classmethod
    def load(cls, path) -> "JointModel":
        with np.load(path, allow_pickle=False) as data:
            coef = csr_matrix((data["data"], data["indices"], data["indptr"]), shape=tuple(data["shape"]))
            return cls(data["classes"], coef, data["intercept"], float(data["temperature"]))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class AnswerClassifier(IntentClassifier, GraphComponent):
    """Chooses the answer (or the conversational intent) of a message; see the module docstring."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [Tokenizer]

    @staticmethod
    def required_packages() -> List[Text]:
        return ["sklearn"]

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        # Not bot/nlu/decision.py nor bot/nlu/scope.py: they apply at parse time, nothing
        # trained depends on them.
        return (
            source_fingerprint(
                __name__,
                "bot.nlu.features",
                "bot.nlu.negation",
                "bot.nlu.calibration",
                "bot.nlu.text",
                "bot.nlu.request_topic",
                "bot.nlu.question_topic",
                "bot.nlu.topic_lexicon",
            )
            + hashlib.sha256(LEXICON_FILE.read_bytes() if LEXICON_FILE.exists() else b"").hexdigest()
        )

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "C": 1.0,  # the SVM's inverse regularisation
            "cv_folds": 3,  # cross-validation folds that fit the temperature (0: DEFAULT_TEMPERATURE)
            "prune": 1e-3,  # weights below this are dropped
            "ranking_length": 10,
            "answer_ranking_length": 5,
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        vocabulary: Vocabulary | None = None,
        model: JointModel | None = None,
        request_words: set[str] | None = None,
        topics: JointModel | None = None,
        lexicon: TopicLexicon | None = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.vocabulary = vocabulary
        self.model = model
        self.request_words = request_words or set()
        self.topics = topics
        self.lexicon = lexicon or TopicLexicon({})

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "AnswerClassifier":
        return cls(config, model_storage, resource)

    # --- training ------------------------------------------------------------------

    @staticmethod
    def label_of(example: Message) -> str | None:
        return example.get(INTENT_RESPONSE_KEY) or example.get(INTENT)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if self.label_of(e) and e.get(TEXT)]
        if not examples:
            return self._resource
        tokens = [tokens_of(e) for e in examples]
        documents = [feature_names(t, e.get(TEXT)) for t, e in zip(tokens, examples)]
        labels = [self.label_of(e) for e in examples]
        groups, originals = origin_groups([e.get(TEXT) for e in examples], labels)
        # Examples that teach the thematique model only (`topic_only: true` in their block's
        # metadata; a typo copy follows its original) stay out of the answer model, and those that
        # teach the answer model only (`answer_only: true`) out of the thematique model.
        answers = ~topic_only_rows(examples, groups, labels)
        topic_rows = ~flagged_rows(examples, groups, labels, "answer_only")
        answer_labels = [label for label, keep in zip(labels, answers) if keep]
        self.request_words = learn_request_words(
            [[t.word for t in ts] for ts, keep in zip(tokens, answers) if keep], answer_labels
        )
        self.lexicon = TopicLexicon.from_file(spacy_words()) if LEXICON_FILE.exists() else TopicLexicon({})
        self.vocabulary = Vocabulary.fit(documents)
        features = self.vocabulary.transform(documents)
        # Five independent fits (the model, the thematique model, the three folds of the
        # temperature) on two threads: liblinear leaves the GIL while it solves.
        with ThreadPoolExecutor(max_workers=TRAINING_THREADS) as pool:
            fitted = pool.submit(JointModel.fit_scores, features[answers], answer_labels, self.config["C"])
            topics = self._fit_topics(examples, features, labels, groups, topic_rows, pool)
            temperature = self._cross_validated_temperature(
                features[answers],
                answer_labels,
                [g for g, keep in zip(groups, answers) if keep],
                originals[answers],
                pool,
            )
            self.model = JointModel.of(fitted.result(), temperature, self.config["prune"])
            self.topics = topics.result() if topics is not None else None
        with self._model_storage.write_to(self._resource) as folder:
            self.vocabulary.save(folder)
            self.model.save(folder / MODEL_FILE)
            if self.topics is not None:
                self.topics.save(folder / TOPIC_MODEL_FILE)
            (folder / META_FILE).write_text(
                json.dumps(
                    {
                        "temperature": temperature,
                        "request_words": sorted(self.request_words),
                        "topic_lexicon": self.lexicon.to_json(),
                    }
                )
            )
        log.info(
            "AnswerClassifier: %d labels, %d features, temperature %.2f",
            len(self.model.classes),
            len(self.vocabulary.index),
            temperature,
        )
        return self._resource

    def _fit_topics(
        self,
        examples: List[Message],
        features: csr_matrix,
        labels: list[str],
        groups: list[str],
        taught: np.ndarray,
        pool: ThreadPoolExecutor,
    ) -> Future | None:
        """The thematique model (bot/nlu/question_topic.py) being fitted on the `taught` rows, or
        None when no question without an answer declares its thematique."""
        declared = [intent_metadata(e).get("thematique") for e in examples]
        topics = topic_labels(labels, declared, groups)
        rows = [i for i, t in enumerate(topics) if t and taught[i]]
        if not any(label in QUESTIONS_WITHOUT_AN_ANSWER and topics[i] for i, label in enumerate(labels)):
            return None
        C, prune = self.config["C"], self.config["prune"]
        return pool.submit(JointModel.fit, features[rows], [topics[i] for i in rows], C, DEFAULT_TEMPERATURE, prune)

    def _cross_validated_temperature(
        self,
        features: csr_matrix,
        labels: list[str],
        groups: list[str],
        originals: np.ndarray,
        pool: ThreadPoolExecutor,
    ) -> float:
        """Fit T on scores of examples each fold's model never saw (nor their typo copies, which
        share their original's group)."""
        folds = self.config["cv_folds"]
        if folds < 2:
            return DEFAULT_TEMPERATURE
        fold_of = np.array([int(hashlib.sha1(g.encode()).hexdigest(), 16) % folds for g in groups])
        y = np.array(labels)
        fits = [
            pool.submit(JointModel.fit_scores, features[fold_of != k], list(y[fold_of != k]), self.config["C"])
            for k in range(folds)
        ]
        scores, gold = [], []
        for k in range(folds):
            held = np.where((fold_of == k) & originals)[0]
            fitted = fits[k].result()
            index = {c: i for i, c in enumerate(fitted.classes_)}
            held = [h for h in held if y[h] in index]
            if held:
                scores.append(fitted.decision_function(features[held]))
                gold.extend(index[y[h]] for h in held)
        return fit_temperature(np.vstack(scores), np.array(gold))

    # --- inference -----------------------------------------------------------------

    def process(self, messages: List[Message]) -> List[Message]:
        if self.model is None or self.vocabulary is None:
            return messages
        for message in messages:
            tokens = tokens_of(message)
            text = message.get(TEXT) or ""
            features = self.vocabulary.transform([feature_names(tokens, text)])
            # The help labels together against out_of_scope (bot/nlu/scope.py).
            ranking = scoped(self.model.ranking(features), self.vocabulary.known_share(tokens), MIN_KNOWN_SHARE)
            self._write(message, ranking)
            if base_of(ranking[0][0]) in PERSON_REQUESTS:
                topic = request_topic(self.model, self.vocabulary, tokens, text, self.request_words)
                message.set(REQUEST_TOPIC_KEY, topic, add_to_output=True)
            elif is_help_label(ranking[0][0]):
                decision = message.get(DECISION_KEY) or {}
                given = decision.get("answer") if decision.get("decision") == ANSWER else None
                # An answer given has its own thematique: the thematique model runs only without one.
                topics = self.topics.ranking(features) if self.topics is not None and not given else None
                hits = self.lexicon.hits([t.word for t in tokens]) if topics else set()
                message.set(QUESTION_TOPIC_KEY, help_thematique(ranking, topics, given, hits), add_to_output=True)
            self._write_negations(message, tokens)
        return messages

    def _write(self, message: Message, ranking: list[tuple[str, float]]) -> None:
        marginal: dict[str, float] = {}
        for label, p in ranking:
            marginal[base_of(label)] = marginal.get(base_of(label), 0.0) + p
        intent = base_of(ranking[0][0])
        intents = [intent] + sorted((i for i in marginal if i != intent), key=lambda i: -marginal[i])
        intent_ranking = [
            {INTENT_NAME_KEY: i, PREDICTED_CONFIDENCE_KEY: marginal[i]}
            for i in intents[: self.config["ranking_length"]]
        ]
        message.set(INTENT, intent_ranking[0], add_to_output=True)
        message.set(INTENT_RANKING_KEY, intent_ranking, add_to_output=True)
        retrieval = sorted({base_of(c) for c in self.model.classes if "/" in c})
        properties: Dict[str, Any] = {RESPONSE_SELECTOR_RETRIEVAL_INTENTS: retrieval}
        inside = [(label, p / marginal[intent]) for label, p in ranking if "/" in label and base_of(label) == intent]
        if inside:
            best, confidence = inside[0]
            properties[intent] = {
                RESPONSE_SELECTOR_PREDICTION_KEY: {
                    INTENT_RESPONSE_KEY: best,
                    PREDICTED_CONFIDENCE_KEY: confidence,
                    RESPONSE_SELECTOR_UTTER_ACTION_KEY: utter_action(best),
                },
                RESPONSE_SELECTOR_RANKING_KEY: [
                    {INTENT_RESPONSE_KEY: k, PREDICTED_CONFIDENCE_KEY: p}
                    for k, p in inside[: self.config["answer_ranking_length"]]
                ],
            }
        message.set(RESPONSE_SELECTOR_PROPERTY_NAME, properties, add_to_output=True)
        message.set(DECISION_KEY, decide_ranking(ranking).as_dict(), add_to_output=True)

    @staticmethod
    def _write_negations(message: Message, tokens: list[Token]) -> None:
        mentions = negated_mentions([(t.word, t.start, t.end) for t in tokens])
        message.set(NEGATED_KEY, [m.as_dict() for m in mentions], add_to_output=True)
        flags = negated_flags([t.word for t in tokens])
        spans = [(t.start, t.end) for t, f in zip(tokens, flags) if f]
        for entity in message.get(ENTITIES) or []:
            if entity.get("entity") == "appareil" and any(s <= entity.get("start", -1) < e for s, e in spans):
                entity["negated"] = True

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "AnswerClassifier":
        try:
            with model_storage.read_from(resource) as folder:
                vocabulary = Vocabulary.load(folder)
                model = JointModel.load(folder / MODEL_FILE)
                topics = JointModel.load(folder / TOPIC_MODEL_FILE) if (folder / TOPIC_MODEL_FILE).exists() else None
                meta = json.loads((folder / META_FILE).read_text()) if (folder / META_FILE).exists() else {}
        except (ValueError, OSError):
            log.warning("AnswerClassifier: the model holds no trained classifier")
            vocabulary, model, meta, topics = None, None, {}, None
        lexicon = TopicLexicon.from_json(meta.get("topic_lexicon") or [])
        return cls(
            config, model_storage, resource, vocabulary, model, set(meta.get("request_words") or ()), topics, lexicon
        )


def intent_metadata(example: Message) -> dict:
    """The metadata of the example's intent block in the training data."""
    return (example.get("metadata") or {}).get("intent") or {}


def flagged_rows(examples: List[Message], groups: list[str], labels: list[str], flag: str) -> np.ndarray:
    """Whether each example's block says `<flag>: true`, or it is a typo copy (same group and
    label) of such an example."""
    flagged = {(g, label) for e, g, label in zip(examples, groups, labels) if intent_metadata(e).get(flag) is True}
    return np.array([(g, label) in flagged for g, label in zip(groups, labels)], dtype=bool)


def topic_only_rows(examples: List[Message], groups: list[str], labels: list[str]) -> np.ndarray:
    """Whether each example teaches the thematique model only (`topic_only: true`)."""
    return flagged_rows(examples, groups, labels, "topic_only")


def origin_groups(texts: list[str], labels: list[str]) -> tuple[list[str], np.ndarray]:
    """Each example's group (the text it was copied from, for the typo copies of
    `python -m bot augment`), and whether it is an original."""
    from bot.nlu.evaluation import AUGMENT_SEED, noisy

    present = {(t, l) for t, l in zip(texts, labels)}
    origin = {}
    for text, label in zip(texts, labels):
        copy = noisy(text, seed=AUGMENT_SEED, rate=0.15)
        if copy != text and (copy, label) in present:
            origin.setdefault((copy, label), text)
    groups = [origin.get((t, l), t) for t, l in zip(texts, labels)]
    originals = np.array([(t, l) not in origin for t, l in zip(texts, labels)])
    return groups, originals
