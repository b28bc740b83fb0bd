"""The topic of a request for a person: "je voudrais un rendez-vous avec un conseiller pour mes
mails" asks for an appointment (the request) about e-mail (the thematique the triage and the
activity report need, so that the need is not asked again).

The joint classifier gives the request almost all the probability, so the topic cannot be read
from its ranking. Instead the words that make a request for a person (learnt from the training
data: words at least REQUEST_RATIO times more frequent in `book_appointment` / `ask_human`
examples than in help examples, "rendez-vous", "rdv", "conseiller", "parler", "venir"...) and
French stop words are left out, and the help answers alone are ranked on what is left ("mails").
A thematique is named when its answers hold TOPIC_SHARE of that ranking and the best answer's
score reaches TOPIC_SCORE (so "je voudrais un rendez-vous samedi matin" names none).
Pure functions over the classifier's arrays; no Rasa import.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from bot.nlu.calibration import probabilities
from bot.nlu.features import Token, feature_names
from bot.nlu.text import normalise

PERSON_REQUESTS = ("book_appointment", "ask_human")
REQUEST_RATIO = 4.0  # how much more frequent in requests than in help examples
REQUEST_MIN_EXAMPLES = 3  # a request word is seen in at least this many request examples
TOPIC_SHARE = 0.5
TOPIC_SCORE = -0.6  # the SVM's one-vs-rest score of the best help answer


def _stop_words() -> frozenset[str]:
    """spaCy's French stop words, read from their own file: importing them as
    `spacy.lang.fr.stop_words` would import `spacy.lang.fr` first, which compiles the 1.4-million-
    character pattern bot/nlu/french.py caches (6 s at every start, before its cache is used)."""
    import importlib.util

    spacy_spec = importlib.util.find_spec("spacy")  # finds the package, does not import it
    folder = Path(next(iter(spacy_spec.submodule_search_locations)))
    spec = importlib.util.spec_from_file_location("_spacy_fr_stop_words", folder / "lang" / "fr" / "stop_words.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return frozenset(normalise(w) for w in module.STOP_WORDS)


STOP_WORDS = _stop_words()


def is_help_label(label: str) -> bool:
    return label.startswith("faq_") or label.startswith("urgence")


def learn_request_words(documents: list[list[str]], labels: list[str]) -> set[str]:
    """The words of a request for a person: seen in REQUEST_MIN_EXAMPLES request examples or more,
    and REQUEST_RATIO times more often (per example) than in the help examples."""
    in_requests, in_help, requests, helps = Counter(), Counter(), 0, 0
    for words, label in zip(documents, labels):
        base = label.split("/", 1)[0]
        if base in PERSON_REQUESTS:
            in_requests.update(set(words))
            requests += 1
        elif is_help_label(base):
            in_help.update(set(words))
            helps += 1
    if not requests or not helps:
        return set()
    return {
        word
        for word, count in in_requests.items()
        if count >= REQUEST_MIN_EXAMPLES and count / requests >= REQUEST_RATIO * (in_help[word] + 1) / helps
    }


def topic_tokens(tokens: list[Token], request_words: set[str]) -> list[Token]:
    """What is left of the message once the request's words, stop words and punctuation are out."""
    return [
        t
        for t in tokens
        if t.word not in request_words and t.word not in STOP_WORDS and any(c.isalnum() for c in t.word)
    ]


def request_topic(model, vocabulary, tokens: list[Token], text: str, request_words: set[str]) -> str | None:
    """The help intent (`faq_email`) the request is about, or None. `model` is the answer
    classifier's JointModel, `vocabulary` its Vocabulary."""
    left = topic_tokens(tokens, request_words)
    if not left:
        return None
    classes = [str(c) for c in model.classes]
    helps = [i for i, c in enumerate(classes) if is_help_label(c)]
    if not helps:
        return None
    scores = model.scores(vocabulary.transform([feature_names(left, text)]))[0][helps]
    if float(scores.max()) < TOPIC_SCORE:
        return None
    shares: dict[str, float] = {}
    for index, p in zip(helps, probabilities(scores[None, :], model.temperature)[0]):
        base = classes[index].split("/", 1)[0]
        shares[base] = shares.get(base, 0.0) + float(p)
    best = max(shares, key=shares.get)
    return best if shares[best] >= TOPIC_SHARE and not best.startswith("urgence") else None
