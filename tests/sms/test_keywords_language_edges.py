"""Keywords, language heuristic and inbound edge cases (pure functions)."""

from __future__ import annotations

import pytest

from bot.sms.inbound import LONG_MESSAGE_CHARS
from bot.sms.inbound import edge_case as edge_case_for
from bot.sms.keywords import AIDE, START, STOP, keyword_of
from bot.sms.language import looks_foreign
from bot.texts import sms as texts


def edge_case(text: str, num_media: int):
    return edge_case_for(text, num_media, "03 87 55 50 00")


@pytest.mark.parametrize("text", ["STOP", "stop", " Stop. ", "STOP SMS", "stop sms!", "ARRET", "Arrêt", "arrêt sms"])
def test_stop_keywords(text):
    assert keyword_of(text) == STOP


@pytest.mark.parametrize(
    "text,expected", [("START", START), ("start", START), ("AIDE", AIDE), ("aide ?", AIDE), ("HELP", AIDE)]
)
def test_start_and_aide(text, expected):
    assert keyword_of(text) == expected


@pytest.mark.parametrize(
    "text", ["comment stopper les pubs ?", "aide moi", "j'ai besoin d'aide", "arrête de m'écrire stp", "", "stop stop"]
)
def test_sentences_are_not_keywords(text):
    assert keyword_of(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "jai pa compri",
        "rdv",
        "ok",
        "slt cv",
        "oui",
        "1",
        "bjr jveux 1 rdv",
        "mon mdp gmail marche pa",
        "ben non jai pas de mail",
        "Bonjour je voudrais un rendez-vous",
        "c koi le code",
        "Hello",
        "J'ai un problème avec mon password",
        "merci beaucoup",
        "ANTS permis",
        "ameli",
        "wifi bug",
    ],
)
def test_french_and_sms_shorthand_are_not_foreign(text):
    assert not looks_foreign(text)


@pytest.mark.parametrize(
    "text",
    [
        "I need help with my email please",
        "Hello, can you help me with my phone?",
        "Necesito ayuda con mi correo por favor",
        "Ich brauche Hilfe mit meinem Handy bitte",
        "Preciso de ajuda com o meu telefone",
        "Merhaba, yardim istiyorum lutfen",
        "мне нужна помощь с телефоном",
        "أحتاج مساعدة في البريد",
        "我需要帮助",
    ],
)
def test_other_languages_are_recognised(text):
    assert looks_foreign(text)


def test_edge_cases_and_their_kind_answers():
    assert edge_case("", 1).kind == "media" and not edge_case("", 1).read_text
    caption = edge_case("voici la photo de l'erreur", 1)
    assert caption.kind == "media" and caption.read_text and caption.reply == texts.media_text()
    assert edge_case("", 0).kind == "empty"
    assert edge_case("   ", 0).kind == "empty"
    assert edge_case("👍", 0).kind == "emoji"
    assert edge_case("😀 😀 ❤️", 0).kind == "emoji"
    assert edge_case("a" * 1600, 0).kind == "too_long"
    assert edge_case("mot de passe " * 10, 0) is None
    assert edge_case("é" * LONG_MESSAGE_CHARS, 0) is None
    foreign = edge_case("I need help with my email please", 0)
    assert foreign.kind == "foreign" and "03 87 55 50 00" in foreign.reply and "français" in foreign.reply
    assert edge_case("jai pa compri", 0) is None
