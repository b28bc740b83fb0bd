"""Erasing cannot be undone: only a clear yes confirms it."""

from __future__ import annotations

import pytest

from actions.privacy import is_confirmation


@pytest.mark.parametrize("text", ["OUI", "oui", "Oui je confirme", "ok", "d'accord", "OUI.", "oui effacez tout"])
def test_a_clear_yes_confirms(text):
    assert is_confirmation(text)


@pytest.mark.parametrize(
    "text",
    ["non", "NON", "oui mais non", "bonjour", "1", "", "attendez", "pas maintenant", "c'est quand mon rendez-vous ?"],
)
def test_anything_else_cancels(text):
    assert not is_confirmation(text)
