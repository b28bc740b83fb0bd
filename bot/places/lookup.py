"""Finding the places near what a resident writes: "Borny", "près de la gare", "57070"."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.places.models import Place
from bot.triage.answers import plain


def find_places(session: Session, text: str) -> list[Place]:
    """Places whose name, postcode or aliases appear in `text`, best first."""
    words = plain(text)
    if not words:
        return []
    scored = []
    for place in session.execute(select(Place).where(Place.active.is_(True))).scalars():
        score = 0
        for alias in [*place.aliases, place.code_postal]:
            alias = plain(str(alias))
            if alias and re.search(rf"(?<!\w){re.escape(alias)}(?!\w)", words):
                score = max(score, len(alias) + (10 if not alias.isdigit() else 0))
        if score:
            scored.append((score, place.id, place))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [place for _score, _id, place in scored]
