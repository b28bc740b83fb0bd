"""The topic of a request for a person, read apart from its request's words (bot/nlu/request_topic.py)."""

from __future__ import annotations

from bot.nlu.features import Token
from bot.nlu.request_topic import learn_request_words, topic_tokens


def tokens(text: str) -> list[Token]:
    out, at = [], 0
    for word in text.split():
        start = text.index(word, at)
        out.append(Token(word, start, start + len(word)))
        at = start + len(word)
    return out


def test_request_words_are_those_much_more_frequent_in_requests_than_in_help_examples():
    requests = [["rdv", "pour", "mail"], ["rdv", "svp"], ["rdv", "conseiller"], ["conseiller", "svp"], ["svp"]]
    helps = [["mail", "envoyer"], ["mail", "pièce", "jointe"], ["svp", "mail"], ["photo", "envoyer"]] * 10
    documents = requests + helps
    labels = ["book_appointment"] * 3 + ["ask_human"] * 2 + ["faq_email/envoyer"] * len(helps)
    words = learn_request_words(documents, labels)
    assert "rdv" in words  # 3 of 5 requests, no help example
    assert "mail" not in words  # frequent in help examples
    assert "conseiller" not in words  # seen in only 2 requests: not enough to be sure
    assert learn_request_words([["rdv"]], ["book_appointment"]) == set()  # no help examples to compare


def test_what_is_left_is_the_topic_without_request_or_stop_words():
    left = topic_tokens(
        tokens("je voudrais un rdv avec un conseiller pour mes mails ?"), {"rdv", "conseiller", "voudrais"}
    )
    assert [t.word for t in left] == ["mails"]
    assert topic_tokens(tokens("je voudrais un rdv svp"), {"rdv", "voudrais", "svp"}) == []
