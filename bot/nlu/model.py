"""Loading the trained Rasa model once and parsing messages with it."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path


def quiet_logging() -> None:
    """Warnings only, on stderr: stdout belongs to the command's own output.

    Rasa's structured logs print message texts at debug level; they never
    reach stdout here.
    """
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)


class TrainedModel:
    """The trained model's NLU, loaded once, for batch use (classify, eval, bench)."""

    def __init__(self, model_path: Path | str) -> None:
        quiet_logging()
        from rasa.core.agent import Agent

        path = Path(model_path)
        if not path.exists():
            raise FileNotFoundError(f"no trained model at {path}: run `make train` first")
        self.path = path
        self._loop = asyncio.new_event_loop()
        self.agent = Agent.load(str(path))

    def parse(self, text: str) -> dict:
        return self._loop.run_until_complete(self.agent.parse_message(text))

    def close(self) -> None:
        self._loop.close()
