"""A French phonetic key: words written as they sound ("coman", "tele charjé", "kon") meet the
words as they are spelt ("comment", "télécharger", "compte").

Residents who write by ear spell the sound, not the word. Character n-grams (bot/nlu/features.py)
forgive a letter or two; they do not see that "koman" and "comment", or "inpo" and "impôts", are the
same sounds. The key folds the spellings of one sound into one letter (`eau`, `au`, `o` -> o; `c`, `k`,
`qu` -> k; `ain`, `in`, `un` -> I...), drops the silent letters French leaves at the end of words
(`-t`, `-s`, `-e`, `-x`, `-d`) and the silent `h`, and the infinitive's `-er` sound (`-er`, `-ez`,
`-é` -> e). It is deliberately coarse: homophones share a key on purpose ("mais"/"mes" both give
"me"), the classifier weighs keys beside the words themselves.

Input: a word in its normalised form (bot/nlu/text.py: lowercase, no accents, no repeated letters).
"""

from __future__ import annotations

import re

VOWELS = "aeiouy"

# Ordered rewrites; uppercase letters are the key's own symbols (nasal vowels, "ch", "ou").
_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"[^a-z]", ""),
        (r"^h", ""),
        (r"sch|ch|sh", "S"),
        (r"ph", "f"),
        (r"th", "t"),
        (r"qu|q|ck|k", "k"),
        (r"c(?=[eiy])", "s"),
        (r"c", "k"),
        (r"g(?=[eiy])", "j"),
        (r"gu(?=[eiy])", "g"),
        (r"tion", "sion"),
        (r"eau|au", "o"),
        (r"oi|oy", "wa"),
        (r"ou", "U"),
        (r"(ai|ei|ay|ey)(?![n])", "e"),
        (r"mpt|mt", "nt"),
        (r"(ain|ein|in|im|un|um|yn|ym)(?![aeiouy])", "I"),
        (r"(an|en|am|em)(?![aeiouy])", "A"),
        (r"(on|om)(?![aeiouy])", "O"),
        (r"y", "i"),
        (r"w", "v"),
        (r"z", "s"),
        (r"h", ""),
        (r"x$", ""),
        (r"x", "ks"),
        (r"(?<=\w{2})(er|ez|et)$", "e"),
        (r"(?<=[^aeiouAIOU])(ent)$", ""),  # "ils parlent": a silent -ent after a consonant
        (r"(?<=\w)[tsdp]+$", ""),
        (r"(?<=\w)e$", ""),
        (r"(?<=\w)[tsd]+$", ""),
        (r"(.)\1+", r"\1"),
    )
)


def phonetic_key(word: str) -> str:
    """The word's sound key: `phonetic_key("koman") == phonetic_key("comment")`."""
    key = word
    for pattern, replacement in _RULES:
        key = pattern.sub(replacement, key)
    return key
