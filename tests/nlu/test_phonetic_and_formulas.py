"""Words written by ear meet their spelling; a letter's closing formula is not its question."""

from __future__ import annotations

import pytest

from bot.nlu.features import Token, asking_sentence, feature_names
from bot.nlu.phonetic import phonetic_key
from bot.nlu.text import normalise


def key(text: str) -> str:
    return " ".join(phonetic_key(normalise(word)) for word in text.split())


@pytest.mark.parametrize(
    "spelt, by_ear",
    [
        ("comment", "koman"),
        ("comment", "coman"),
        ("télécharger", "telecharjé"),
        ("faire", "fer"),
        ("impôts", "inpo"),
        ("compte", "conte"),
        ("whatsapp", "watsap"),
        ("photo", "foto"),
        ("mot de passe", "mo de pas"),
        ("facture", "factur"),
        ("téléphone", "telefone"),
        ("envoyer", "anvoyé"),
        ("connexion", "conection"),
        ("application", "aplicasion"),
        ("arnaque", "arnak"),
        ("banque", "bank"),
    ],
)
def test_a_word_written_by_ear_has_the_key_of_its_spelling(spelt, by_ear):
    assert key(spelt) == key(by_ear)


@pytest.mark.parametrize("one, other", [("mail", "carte"), ("photo", "facture"), ("banque", "bouton")])
def test_different_words_keep_different_keys(one, other):
    assert key(one) != key(other)


def test_the_sound_key_is_a_feature_of_each_word():
    text = "coman fer"
    tokens = [Token(normalise(w), text.index(w), text.index(w) + len(w)) for w in text.split()]
    features = feature_names(tokens, text)
    assert f"p:{key('comment')}" in features and f"p:{key('faire')}" in features


def tokens_of(text: str) -> list[Token]:
    import re

    return [Token(normalise(m.group()), m.start(), m.end()) for m in re.finditer(r"\w+|[^\w\s]", text)]


def test_the_closing_formula_of_a_letter_is_not_the_question():
    text = (
        "Madame, Monsieur, je dois déclarer mes revenus en ligne et je ne trouve pas le formulaire. "
        "Je vous remercie par avance de votre aide. Veuillez agréer mes salutations distinguées."
    )
    tokens = tokens_of(text)
    chosen = {tokens[i].word for i in asking_sentence(tokens, text)}
    assert "formulaire" in chosen and "remercie" not in chosen
    # Without the rule the "aide" of the formula made it the sentence that asks.
    old = {tokens[i].word for i in asking_sentence(tokens, text, formulas=False)}
    assert "remercie" in old
