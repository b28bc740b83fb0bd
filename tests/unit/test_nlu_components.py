"""Our NLU components without a trained model: the French tokens, the pattern cache, the
linear model's arithmetic and storage."""
from __future__ import annotations

import re

import numpy as np
import pytest
from rasa.shared.nlu.training_data.message import Message
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

from bot.nlu import french
from bot.nlu.french import FrenchTokenizer, normalise
from bot.nlu.linear import LinearModel


@pytest.mark.parametrize("word, form", [
    ("Téléphone", "telephone"), ("TELECHARGER", "telecharger"), ("mercii", "merci"),
    ("Téléphoonne", "telephone"), ("l’appli", "l'apli"), ("2000", "2000"), ("e-mail", "e-mail"),
])
def test_normalise_lowercases_strips_accents_and_repeated_letters(word, form):
    assert normalise(word) == form


def test_french_tokens_split_elisions_and_point_into_the_text_as_written():
    tokenizer = FrenchTokenizer({**FrenchTokenizer.get_default_config()})
    text = "J'ai oublié le MOT de passe d'Ameli aujourd'hui"
    tokens = tokenizer.tokenize(Message(data={"text": text}), "text")
    assert [t.text for t in tokens] == ["J'", "ai", "oublié", "le", "MOT", "de", "passe", "d'", "Ameli", "aujourd'hui"]
    assert all(text[t.start:t.end] == t.text for t in tokens)
    assert [t.lemma for t in tokens][:5] == ["j'", "ai", "oublie", "le", "mot"]
    # The answers' texts attached to training examples are not tokenised: nothing reads them.
    assert tokenizer.tokenize(Message(data={"response": "Ouvrez Gmail"}), "response") == []


def test_the_pattern_cache_hands_re_the_compiled_pattern(tmp_path):
    pattern = "(?iu)(?:peut-(?:être|etre))|(?:aujourd'hui)|(?:[a-z]+-ci)"
    cache = tmp_path / "cache.marshal"
    french._write_regex_cache(cache, pattern)
    compiled = french._seed_regex_cache(cache)
    assert compiled is not None
    assert re.compile(pattern) is compiled  # what spaCy's import will get, without compiling
    assert compiled.match("Peut-Être") and not compiled.match("peut")
    assert compiled.flags == re.compile(pattern + "|(?:x)").flags


def test_a_cache_from_another_python_is_not_used(tmp_path, monkeypatch):
    cache = tmp_path / "cache.marshal"
    french._write_regex_cache(cache, "(?:abc)")
    monkeypatch.setattr(french, "_engine_id", lambda: "another python")
    assert french._seed_regex_cache(cache) is None
    cache.write_bytes(b"not a cache")
    assert french._seed_regex_cache(cache) is None


def _data(classes: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    features = csr_matrix(rng.poisson(0.3, size=(60, 40)).astype(float))
    labels = [f"label_{i % classes}" for i in range(60)]
    return features, labels


@pytest.mark.parametrize("classes, solver", [(2, "liblinear"), (5, "liblinear"), (5, "lbfgs")])
def test_linear_model_gives_scikit_learns_probabilities(classes, solver):
    features, labels = _data(classes)
    model = LinearModel.fit(features, labels, solver=solver, balanced=True)
    reference = LogisticRegression(solver=solver, max_iter=300, random_state=42, class_weight="balanced")
    reference.fit(features, labels)
    assert list(model.classes) == list(reference.classes_)
    np.testing.assert_allclose(model.predict_proba(features), reference.predict_proba(features), atol=1e-8)


def test_linear_model_round_trips_through_plain_arrays(tmp_path):
    features, labels = _data(4)
    model = LinearModel.fit(features, labels)
    model.save(tmp_path / "m.npz")
    loaded = LinearModel.load(tmp_path / "m.npz")
    np.testing.assert_allclose(loaded.predict_proba(features), model.predict_proba(features))
    assert loaded.ranking(features[0], 2) == model.ranking(features[0], 2)
    assert len(loaded.ranking(features[0], 10)) == 4


def test_a_single_label_is_always_chosen(tmp_path):
    features, _ = _data(1)
    model = LinearModel.fit(features, ["faq_justice/casier"] * 60)
    model.save(tmp_path / "one.npz")
    assert LinearModel.load(tmp_path / "one.npz").ranking(features[0], 5) == [("faq_justice/casier", 1.0)]
