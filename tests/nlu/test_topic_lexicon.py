"""The lexicon of each thematique's domain (data/topics/lexicon.yml, bot/nlu/topic_lexicon.py) names
the thematique of a question that is not answered at once, with the thematique model
(bot/nlu/question_topic.py)."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from bot.coop import THEMATIQUES
from bot.nlu.question_topic import help_thematique, weighed_topics
from bot.nlu.text import normalise
from bot.nlu.topic_lexicon import LEXICON_FILE, LEXICON_WEIGHT, TopicLexicon, spacy_words
from bot.yaml_files import load_yaml


def plain_words(text: str) -> list[str]:
    return [normalise(w) for w in text.replace("'", "' ").split()]


@pytest.fixture(scope="module")
def lexicon_file() -> dict[str, list[str]]:
    return (load_yaml(LEXICON_FILE.read_text(encoding="utf-8")) or {})["lexicon"]


def test_the_lexicon_covers_every_thematique_with_words_of_its_own(lexicon_file):
    assert set(lexicon_file) == set(THEMATIQUES)
    assert all(len(entries) >= 40 for entries in lexicon_file.values())
    assert all(isinstance(e, str) and e == e.strip().lower() and e for v in lexicon_file.values() for e in v)
    shared = Counter(e for entries in lexicon_file.values() for e in set(entries))
    # A word under two thematiques at most (truly shared), none under three: a word of every
    # thematique says nothing of any.
    assert max(shared.values()) <= 2
    assert sum(n > 1 for n in shared.values()) <= 10


def test_the_lexicon_says_where_it_comes_from():
    header = LEXICON_FILE.read_text(encoding="utf-8").split("\nlexicon:")[0]
    assert "Source: written on 2 December 2026" in header and "never" in header


def test_an_entry_is_found_as_consecutive_normalised_words():
    lexicon = TopicLexicon.from_terms(
        {"logement": ["APL", "état des lieux"], "sante": ["mutuelle"], "pas_une_thematique": ["apl"]}, plain_words
    )
    assert lexicon.hits(plain_words("Comment on fait l'état des lieux ?")) == {"logement"}
    assert lexicon.hits(plain_words("ma demande d'APL et ma mutuelle")) == {"logement", "sante"}
    assert lexicon.hits(plain_words("des lieux et un etat")) == set()  # not consecutive
    assert TopicLexicon.from_json(lexicon.to_json()).entries == lexicon.entries


def test_an_entry_that_normalising_shortens_to_one_or_two_letters_is_left_out():
    lexicon = TopicLexicon.from_terms(
        {"email": ["cc", "mail"], "social_sante": ["AAH"], "intelligence_artificielle": ["IA"]}, plain_words
    )
    # "cc" would be "c" and "AAH" "ah": every "c koi" and "ah bon" would be about them.
    assert lexicon.hits(plain_words("c koi ah bon")) == set()
    assert lexicon.hits(plain_words("un mail sur l'IA")) == {"email", "intelligence_artificielle"}


def test_entries_are_matched_as_the_tokenizer_cuts_a_message():
    words_of = spacy_words()
    lexicon = TopicLexicon.from_terms({"logement": ["état des lieux", "aide au logement"]}, words_of)
    assert lexicon.hits(words_of("J'ai fait l'ETAT DES LIEUX hier, c'est quoi la suite ?")) == {"logement"}
    assert lexicon.hits(words_of("et pour l'aide au logement?")) == {"logement"}


def test_a_domain_word_turns_a_doubt_not_a_clear_choice():
    doubt = [("email", 0.5), ("logement", 0.1), ("sante", 0.4)]
    assert help_thematique([("no_answer", 0.9)], doubt, None, {"logement"}) == "logement"
    assert help_thematique([("no_answer", 0.9)], doubt, None, set()) == "email"
    clear = [("email", 0.9), ("logement", 0.05), ("sante", 0.05)]
    assert help_thematique([("no_answer", 0.9)], clear, None, {"logement"}) == "email"
    weighed = dict(weighed_topics(doubt, {"logement"}))
    assert abs(sum(weighed.values()) - 1) < 1e-9
    assert abs(weighed["logement"] / weighed["email"] - 0.2 * math.exp(LEXICON_WEIGHT)) < 1e-9


def test_an_answer_given_keeps_its_thematique_whatever_the_words():
    topics = [("logement", 0.9), ("email", 0.1)]
    assert help_thematique([("faq_email/spams", 0.9)], topics, "faq_email/spams", {"logement"}) == "email"
