"""Conversations with the real trained bot, served as `make run` serves it."""

from __future__ import annotations

import uuid


def new_sender() -> str:
    return "test:" + uuid.uuid4().hex


def test_bonjour_over_the_rest_webhook_is_answered_in_french(live_bot):
    replies = live_bot.texts(new_sender(), "Bonjour")
    assert replies, "the bot said nothing"
    assert replies[0].startswith("Bonjour")
    assert "conseiller" in replies[0]


def test_thanks_and_goodbye(live_bot):
    sender = new_sender()
    assert "plaisir" in live_bot.texts(sender, "merci beaucoup")[0]
    assert "Au revoir" in live_bot.texts(sender, "au revoir")[0]


def test_asking_for_a_human_says_how_to_reach_one(live_bot):
    reply = " ".join(live_bot.texts(new_sender(), "je veux parler à un conseiller"))
    assert "conseiller" in reply and "RDV" in reply


def test_not_understood_twice_asks_to_rephrase_then_offers_a_conseiller(live_bot):
    # "/nlu_fallback" is what the NLU yields below its confidence threshold; sending it
    # directly tests the dialogue without depending on which gibberish scores low.
    sender = new_sender()
    first = " ".join(live_bot.texts(sender, "/nlu_fallback"))
    assert "autrement" in first
    second = " ".join(live_bot.texts(sender, "/nlu_fallback"))
    assert "conseiller" in second and "RDV" in second
    assert "Bonjour" in live_bot.texts(sender, "bonjour")[0]
    third = " ".join(live_bot.texts(sender, "/nlu_fallback"))
    assert "autrement" in third, "the count starts again after an understood message"
