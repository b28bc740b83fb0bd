"""Our NLU components without a trained model: the French tokens and the pattern cache
(the answer classifier's parts: tests/nlu/test_nlu_answers.py)."""

from __future__ import annotations

import re

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu import french
from bot.nlu.french import FrenchTokenizer, normalise


@pytest.mark.parametrize(
    "word, form",
    [
        ("Téléphone", "telephone"),
        ("TELECHARGER", "telecharger"),
        ("mercii", "merci"),
        ("Téléphoonne", "telephone"),
        ("l’appli", "l'apli"),
        ("2000", "2000"),
        ("e-mail", "e-mail"),
    ],
)
def test_normalise_lowercases_strips_accents_and_repeated_letters(word, form):
    assert normalise(word) == form


def test_french_tokens_split_elisions_and_point_into_the_text_as_written():
    tokenizer = FrenchTokenizer({**FrenchTokenizer.get_default_config()})
    text = "J'ai oublié le MOT de passe d'Ameli aujourd'hui"
    tokens = tokenizer.tokenize(Message(data={"text": text}), "text")
    assert [t.text for t in tokens] == ["J'", "ai", "oublié", "le", "MOT", "de", "passe", "d'", "Ameli", "aujourd'hui"]
    assert all(text[t.start : t.end] == t.text for t in tokens)
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
