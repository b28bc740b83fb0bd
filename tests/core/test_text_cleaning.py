"""Text cleaned before anything reads it (bot/text_cleaning.py), and the French
tokenizer's safety net for text that did not come through a channel."""

from __future__ import annotations

from rasa.shared.nlu.training_data.message import Message

from bot.nlu.french import FrenchTokenizer
from bot.privacy.screening import screen_inbound
from bot.text_cleaning import blank_invalid, clean_text


def test_lone_surrogates_nul_controls_and_bidi_overrides_are_removed():
    assert clean_text("bon\ud800jour\x00 \x07à\u202e vous\udfff") == "bonjour à vous"
    assert clean_text("ligne 1\r\nligne 2\rligne 3\tfin") == "ligne 1\nligne 2\nligne 3 fin"
    assert clean_text("e\u0301cole") == "école"  # NFC: one character, however the phone composed it
    assert clean_text("😀 merci 👍🏽") == "😀 merci 👍🏽"  # a real pair of surrogates is an emoji, kept
    assert clean_text("") == "" and clean_text(None) == ""
    assert screen_inbound("mdp gmail Metz#1959\x00").text == "mdp gmail [masqué]"


def test_the_tokenizer_reads_invalid_unicode_without_crashing_and_keeps_offsets():
    tokenizer = FrenchTokenizer({**FrenchTokenizer.get_default_config()})
    text = "bonjour \ud800 j'ai\x00 oublié"
    assert blank_invalid(text) == "bonjour   j'ai  oublié" and len(blank_invalid(text)) == len(text)
    tokens = tokenizer.tokenize(Message(data={"text": text}), "text")
    assert [t.text for t in tokens] == ["bonjour", "j'", "ai", "oublié"]
    assert all(text[t.start : t.end] == t.text for t in tokens)
