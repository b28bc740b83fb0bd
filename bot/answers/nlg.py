"""Rasa's responses, read from the database: what the desk edits is what the next resident gets.

`bot/endpoints.yml` names `DatabaseNaturalLanguageGenerator` as Rasa's NLG. It is
Rasa's own TemplatedNaturalLanguageGenerator (variation chosen by channel and
conditions, {slots} filled, buttons kept) on the domain's responses overlaid with
the `answers` table. Before each response it reads one counter (`answer_revision`,
raised by every change): when it moved, it reloads the answers. So an edit reaches
every Rasa process of every replica at the next turn, with no retraining and no
restart, and costs one tiny query per response otherwise.

It never loses a turn: when the database has no answer for a response, or is not
reachable (it then waits a few seconds before trying again), the domain's response
of the loaded model is served.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from sqlalchemy import create_engine, select
from sqlalchemy.engine import Engine

from bot.answers.models import Answer, AnswerRevision
from bot.settings import get_settings

log = logging.getLogger(__name__)

RETRY_AFTER_FAILURE_SECONDS = 5.0


def answers_engine(url: str) -> Engine:
    """The NLG's own small pool, with a short connect timeout: a database that does not
    answer must not hold a resident's turn."""
    if url.startswith("sqlite"):
        from bot.db import engine_for

        return engine_for(url)
    return create_engine(
        url, future=True, pool_pre_ping=True, pool_size=2, max_overflow=2, connect_args={"connect_timeout": 3}
    )


class DatabaseNaturalLanguageGenerator(TemplatedNaturalLanguageGenerator):
    """The domain's responses, overlaid with the database's answers (see the module docstring)."""

    def __init__(self, endpoint_config=None, domain: Domain | None = None, **_: Any) -> None:
        self._domain_responses: dict = dict((domain or Domain.empty()).responses)
        self._overlay: dict = {}
        self._revision: int | None = None
        self._retry_at = 0.0
        self._engine: Engine | None = None
        super().__init__(self._domain_responses)

    # Rasa's Agent assigns `nlg.responses = domain.responses` when it loads a model.
    @property
    def responses(self) -> dict:
        return {**self._domain_responses, **self._overlay}

    @responses.setter
    def responses(self, value: dict) -> None:
        self._domain_responses = dict(value or {})

    def _engine_now(self) -> Engine:
        if self._engine is None:
            self._engine = answers_engine(get_settings().database_url)
        return self._engine

    def refresh(self) -> None:
        """Reload the answers when the revision counter moved; keep the last good copy on failure."""
        now = time.monotonic()
        if now < self._retry_at:
            return
        try:
            with self._engine_now().connect() as conn:
                current = conn.execute(select(AnswerRevision.value).where(AnswerRevision.id == 1)).scalar()
                if current is not None and current == self._revision:
                    return
                rows = conn.execute(select(Answer.key, Answer.variations).where(Answer.retired.is_(False)))
                self._overlay = {key: variations for key, variations in rows if variations}
                self._revision = current
        except Exception as error:  # the database is down or not migrated: serve what we have
            self._retry_at = now + RETRY_AFTER_FAILURE_SECONDS
            log.warning(
                "answers not read from the database (%s): serving the %s",
                type(error).__name__,
                "last answers read" if self._overlay else "domain's responses",
            )

    async def generate(self, utter_action: str, tracker, output_channel: str, **kwargs: Any):
        self.refresh()
        filled_slots = tracker.current_slot_values()
        try:
            response = self.generate_from_slots(utter_action, filled_slots, output_channel, **kwargs)
        except Exception:
            log.exception("answer %s from the database could not be generated", utter_action)
            response = None
        if response is None and utter_action in self._overlay:
            # The database's variations fit no channel or condition here: the domain's do.
            response = TemplatedNaturalLanguageGenerator(self._domain_responses).generate_from_slots(
                utter_action, filled_slots, output_channel, **kwargs
            )
        return response
