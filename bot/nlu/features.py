"""The answer classifier's features: what a message says, weighted towards what it asks.

From a message's tokens (normalised forms, bot/nlu/text.py), the feature names are:
- `w:<word>` for each word, `n:<word>` instead when the word sits in a negation scope
  (bot/nlu/negation.py: "pas d'ordinateur" says nothing for the computer answers);
- `c:<n-gram>` character n-grams (2 to 5) inside each word not negated, robust to typos;
- `p:<key>` the word's French sound key (bot/nlu/phonetic.py: "koman" and "comment" meet);
- `b:<word> <word>` word pairs ("mot passe", "carte vitale");
- greetings and letter formulas ("Madame, Monsieur", "salutations distinguées") only when
  they are the whole message (`POLITE`);
- `q:<word>` and `qc:<n-gram>` again for the words of the sentence that asks: the first
  sentence with a question mark that names something (of two questions in one message, the
  first: "comment je renouvelle ma carte de séjour ? et la CAF, elle veut quoi ?"; not "vous
  allez bien ?"), else the last with a question mark, else the last with an asking word
  ("comment", "je voudrais", "aidez"...), else the last one, never a letter's formula ("Je
  vous remercie par avance de votre aide", "Veuillez agréer..."). In a one-sentence message
  it is the whole message, so these features are learnt on every example, and in a long
  story they carry the question over the context before it. The first of two questions is
  the one residents put first and conseillers record (the hard dev set's two questions in
  one kept 54.2 % of their thematiques with the last question, 85.4 % with the first).

`Vocabulary` turns feature lists into TF-IDF rows (sublinear counts, L2-normalised),
stored as JSON and plain arrays (no pickle). Pure Python and numpy: no Rasa import.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix

from bot.nlu.negation import PUNCTUATION, negated_flags
from bot.nlu.phonetic import phonetic_key
from bot.nlu.text import normalise

SENTENCE_ENDS = {".", "!", "?", "…", "\n", "...", "?!", "!!", "??"}
ASKING_WORDS = {
    normalise(w)
    for w in (
        "comment",
        "coment",
        "komment",
        "koman",
        "coman",
        "commen",
        "pourquoi",
        "quoi",
        "koi",
        "quel",
        "quelle",
        "quels",
        "quelles",
        "ou",
        "combien",
        "est-ce",
        "peut-on",
        "puis-je",
        "pouvez",
        "pouvez-vous",
        "voudrais",
        "veux",
        "souhaite",
        "souhaiterais",
        "aimerais",
        "aidez",
        "aidez-moi",
        "aider",
        "aide",
        "svp",
        "faut-il",
        "faire",
        "dois-je",
        "possible",
        "savoir",
        "expliquer",
        "explique",
        "cherche",
        "besoin",
        "demande",
    )
}
CHAR_RANGE = (2, 5)
# Greetings and letter formulas: the whole message in "bonjour" or "merci beaucoup", only
# wrapping in "Madame, Monsieur, ... Veuillez agréer mes salutations distinguées". Left out
# of the features when the message has at least `POLITE_CONTENT` other words.
POLITE = {
    normalise(w)
    for w in (
        "bonjour",
        "bonsoir",
        "bjr",
        "bsr",
        "slt",
        "salut",
        "coucou",
        "hello",
        "madame",
        "monsieur",
        "mesdames",
        "messieurs",
        "mme",
        "mr",
        "cordialement",
        "cdlt",
        "cdt",
        "salutations",
        "distinguees",
        "distinguee",
        "respectueuses",
        "sinceres",
        "agreer",
        "agreez",
        "veuillez",
        "prie",
        "sentiments",
        "remerciements",
        "remercie",
        "merci",
        "mercii",
        "expression",
        "meilleurs",
        "respectueusement",
        "bien-etre",
    )
}
POLITE_CONTENT = 3
PHONETIC = True  # sound keys of the words (bot/nlu/phonetic.py); measured with scripts/answer_lab.py --phonetic
# Words found only in the formulas that open and close a letter (never in its question).
FORMULA_WORDS = {
    normalise(w)
    for w in (
        "agreer",
        "agreez",
        "salutations",
        "cordialement",
        "cdlt",
        "remercie",
        "remerciant",
        "remerciements",
        "sentiments",
        "distinguees",
        "respectueusement",
    )
}


@dataclass(frozen=True)
class Token:
    word: str  # normalised form
    start: int
    end: int


def sentences(tokens: list[Token], text: str) -> list[list[int]]:
    """Token indices of each sentence: split at end punctuation and line breaks."""
    groups, current = [], []
    for i, token in enumerate(tokens):
        if i and current and "\n" in text[tokens[i - 1].end : token.start]:
            groups.append(current)
            current = []
        current.append(i)
        if token.word in SENTENCE_ENDS or (token.word and set(token.word) <= set(".!?…")):
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def is_formula(tokens: list[Token], group: list[int]) -> bool:
    """A letter's greeting or closing ("Madame, Monsieur,", "Je vous remercie par avance de votre aide",
    "Veuillez agréer..."): it asks nothing, even with "aide" or "demande" in it."""
    words = {tokens[i].word for i in group}
    return bool(words & FORMULA_WORDS) or all(tokens[i].word in POLITE or tokens[i].word in PUNCTUATION for i in group)


# The words of a question that names nothing ("vous allez bien ?", "pouvez-vous m'aider ?",
# "comment faire ?"): a message's first question is the one it asks only when it names something.
SMALL_TALK = (
    POLITE
    | ASKING_WORDS
    | {
        normalise(w)
        for w in (
            "je j' tu t' vous il elle on me m' moi te nous le la les l' un une des de du d' que qu' qui"
            " ce c' ca cela est es suis ai a as peux peut pourriez pourrais pourrait m'aider bien va vas"
            " allez vais s'il plait plais stp fait et ou mais donc alors oui non pas ne n' y en ok d'accord"
            " urgent encore sinon merci la-dessus ici quelqu'un personne normal vrai sur sure"
        ).split()
    }
)


def names_something(tokens: list[Token], group: list[int]) -> bool:
    """Whether a sentence holds a word that is not small talk (SMALL_TALK, punctuation)."""
    words = (tokens[i].word.lstrip("-") for i in group)  # "pouvez-vous": "pouvez", "-vous"
    return any(word and word not in SMALL_TALK and word not in PUNCTUATION for word in words)


def asking_sentence(tokens: list[Token], text: str, formulas: bool = True) -> list[int]:
    """The indices of the sentence that asks (see the module's docstring)."""
    groups = [g for g in sentences(tokens, text) if any(tokens[i].word not in PUNCTUATION for i in g)]
    if len(groups) <= 1:
        return list(range(len(tokens)))
    if formulas:
        groups = [g for g in groups if not is_formula(tokens, g)] or groups
    with_mark = [g for g in groups if any("?" in tokens[i].word for i in g)]
    asking_something = [g for g in with_mark if names_something(tokens, g)]
    if asking_something:
        return asking_something[0]
    if with_mark:
        return with_mark[-1]
    with_word = [g for g in groups if any(tokens[i].word in ASKING_WORDS for i in g)]
    return (with_word or groups)[-1]


def char_ngrams(word: str, low: int = CHAR_RANGE[0], high: int = CHAR_RANGE[1]) -> list[str]:
    padded = f" {word} "
    return [padded[i : i + n] for n in range(low, high + 1) for i in range(len(padded) - n + 1)]


def feature_names(
    tokens: list[Token],
    text: str,
    asking: bool = True,
    bigrams: bool = True,
    negation: bool = True,
    phonetic: bool = PHONETIC,
    formulas: bool = True,
) -> list[str]:
    words = [t.word for t in tokens]
    flags = negated_flags(words) if negation else [False] * len(words)
    features = []
    kept = []  # (index, word) of the words, punctuation left out
    content = [i for i, w in enumerate(words) if w not in PUNCTUATION and any(c.isalnum() for c in w)]
    wrapped = sum(words[i] not in POLITE for i in content) >= POLITE_CONTENT
    for i in content:
        word, negated = words[i], flags[i]
        if wrapped and word in POLITE:
            continue
        kept.append(i)
        if negated:
            features.append(f"n:{word}")
        else:
            features.append(f"w:{word}")
            features.extend(f"c:{g}" for g in char_ngrams(word))
            if phonetic and len(key := phonetic_key(word)) >= 2:
                features.append(f"p:{key}")
    if bigrams:
        features.extend(f"b:{words[a]} {words[b]}" for a, b in zip(kept, kept[1:]))
    if asking:
        chosen = set(asking_sentence(tokens, text, formulas=formulas))
        for i in kept:
            if i in chosen:
                features.append(f"q:{'~' if flags[i] else ''}{words[i]}")
                if not flags[i]:
                    features.extend(f"qc:{g}" for g in char_ngrams(words[i], 3, 5))
    return features


class Vocabulary:
    """Feature names -> columns, with inverse document frequencies; TF-IDF rows out."""

    def __init__(self, index: dict[str, int], idf: np.ndarray) -> None:
        self.index = index
        self.idf = idf

    @classmethod
    def fit(cls, documents: list[list[str]], min_df: int = 1) -> "Vocabulary":
        df = Counter()
        for features in documents:
            df.update(set(features))
        names = sorted(f for f, n in df.items() if n >= min_df)
        index = {name: i for i, name in enumerate(names)}
        total = len(documents)
        idf = np.array([math.log((1 + total) / (1 + df[name])) + 1 for name in names])
        return cls(index, idf)

    def known_share(self, tokens: list[Token]) -> float:
        """The share of a message's words (with a letter) that training saw as words; 1 without words."""
        words = [t.word for t in tokens if any(c.isalpha() for c in t.word)]
        return sum(f"w:{w}" in self.index for w in words) / len(words) if words else 1.0

    def transform(self, documents: list[list[str]]) -> csr_matrix:
        """Sublinear TF-IDF rows, L2-normalised; unknown features are left out. All rows at once
        (numpy), not row by row: 8 s less for the 15,000 examples of a training."""
        lookup = self.index.get
        columns: list[int] = []
        lengths = []
        for features in documents:
            known = [c for c in map(lookup, features) if c is not None]
            columns.extend(known)
            lengths.append(len(known))
        rows = np.repeat(np.arange(len(documents)), lengths)
        shape = (len(documents), len(self.index))
        counts = csr_matrix((np.ones(len(columns)), (rows, np.array(columns, dtype=np.int64))), shape=shape)
        counts.sum_duplicates()  # sorted columns, one entry per feature and row, holding its count
        values = (1.0 + np.log(counts.data)) * self.idf[counts.indices]
        row_of = np.repeat(np.arange(len(documents)), np.diff(counts.indptr))
        norms = np.sqrt(np.bincount(row_of, weights=values**2, minlength=len(documents)))
        values = values / norms[row_of]  # a row's norm is never 0 when it has an entry
        return csr_matrix((values, counts.indices, counts.indptr), shape=shape)

    def save(self, folder: Path) -> None:
        (folder / "vocabulary.json").write_text(json.dumps(sorted(self.index, key=self.index.get)), encoding="utf-8")
        np.save(folder / "idf.npy", self.idf, allow_pickle=False)

    @classmethod
    def load(cls, folder: Path) -> "Vocabulary":
        names = json.loads((folder / "vocabulary.json").read_text(encoding="utf-8"))
        return cls({name: i for i, name in enumerate(names)}, np.load(folder / "idf.npy", allow_pickle=False))
