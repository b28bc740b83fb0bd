"""SMS replies use the responses written for SMS: Rasa's response generator, given
the SMS channel's output name, picks every `channel: twilio_sms` variation."""

from __future__ import annotations

import asyncio

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot.settings import ROOT
from bot.sms_channel import SmsCollector, TwilioSmsInput


def test_sms_variations_are_chosen_for_sms_and_only_for_sms():
    domain = Domain.load(str(ROOT / "bot" / "domain"))
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    tracker = DialogueStateTracker("sms:test", domain.slots)
    assert SmsCollector.name() == TwilioSmsInput.name() == "twilio_sms"
    with_sms = {
        name: variations
        for name, variations in domain.responses.items()
        if any(v.get("channel") == "twilio_sms" for v in variations)
    }
    assert "utter_greet" in with_sms
    for name, variations in with_sms.items():
        sms_texts = {v["text"] for v in variations if v.get("channel") == "twilio_sms"}
        other_texts = {v["text"] for v in variations if not v.get("channel")}
        for _ in range(3):
            assert asyncio.run(nlg.generate(name, tracker, SmsCollector.name()))["text"] in sms_texts
        if other_texts:
            assert asyncio.run(nlg.generate(name, tracker, "web"))["text"] in other_texts


def test_one_response_is_one_sms_not_split_at_blank_lines():
    collector = SmsCollector()
    asyncio.run(collector.send_text_message("sms:x", "Première partie.\n\nSeconde partie."))
    assert [m["text"] for m in collector.messages] == ["Première partie.\n\nSeconde partie."]
