"""The short French title of every answer, for the clarifying question's choices.

"Votre question porte sur : 1. Mot de passe d'e-mail oublié 2. Boîte mail pleine
3. Autre chose": by SMS the titles become numbered lines, in the widget quick replies.
The titles live in data/answers/titles.yml, one per answer key (a test checks that every
answer of the domain has one, of at most 40 characters).
"""

from __future__ import annotations

from functools import lru_cache

from bot.settings import ROOT
from bot.yaml_files import load_yaml

TITLES_FILE = ROOT / "data" / "answers" / "titles.yml"
MAX_TITLE_LENGTH = 40


@lru_cache(maxsize=1)
def titles() -> dict[str, str]:
    """Answer key (`faq_email/spams`) -> its title."""
    data = load_yaml(TITLES_FILE.read_text(encoding="utf-8")) or {}
    return {str(key): str(title) for key, title in (data.get("titles") or {}).items()}


def is_known_answer(key: str | None) -> bool:
    return bool(key) and key in titles()


def title_of(key: str) -> str:
    return titles().get(key) or key.split("/", 1)[-1].replace("_", " ").capitalize()
