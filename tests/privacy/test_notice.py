"""The short privacy notice says what is kept, why, for how long, how to erase it, and links the full notice."""

from __future__ import annotations

import re

from bot.settings import get_settings
from bot.sms.encoding import count_segments, is_gsm
from bot.texts.privacy import DELETE_KEYWORD
from bot.texts.privacy import notice_text as notice_of


def notice_text() -> str:
    """The notice as the channels say it: from the settings (bot/sms/intake.py, bot/web/app.py)."""
    s = get_settings()
    return notice_of(s.service_name, s.retention_conversation_days, s.privacy_notice_url)


def test_the_notice_says_what_why_how_long_how_to_erase_with_the_link():
    settings = get_settings()
    text = notice_text()
    assert "vos messages" in text  # what
    assert "pour vous répondre" in text and "rendez-vous" in text  # why
    assert f"{settings.retention_conversation_days} jours" in text  # how long
    assert f"écrivez {DELETE_KEYWORD}" in text  # how to erase
    assert settings.privacy_notice_url in text  # the full notice


def test_the_notice_is_two_short_sentences_in_gsm7():
    text = notice_text()
    without_url = text.replace(get_settings().privacy_notice_url, "URL")
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", without_url) if s.strip()]
    assert len(sentences) == 2, sentences
    assert all(len(s.split()) <= 20 for s in sentences)
    assert is_gsm(text) and count_segments(text).count <= 2


def test_the_notice_follows_the_retention_setting(monkeypatch):
    from bot.settings import reload_settings

    monkeypatch.setenv("RETENTION_CONVERSATION_DAYS", "30")
    try:
        reload_settings()
        assert "garde vos messages 30 jours" in notice_text()
    finally:
        monkeypatch.undo()
        reload_settings()
