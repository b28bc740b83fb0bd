"""Rasa's model pulling, with the new model loaded beside the old one, then swapped between turns.

Rasa 3.6 pulls the model from a model server (endpoints.yml `models: url`,
`wait_time_between_pulls`): every interval `rasa.core.agent._update_model_from_server`
sends `If-None-Match: <fingerprint>`; on 200 it saves the file and calls
`Agent.load_model`, which builds the new `MessageProcessor` (unpacks and loads every
component) *on the event loop*. For those seconds the process answers nothing: no turn is
lost, but every turn waits, and a channel whose caller gives up (Twilio's 15 s) would lose it.

`install(local_model)` replaces that one function: the same pull (Rasa's own
`_pull_model_and_fingerprint`, the same ETag), then the new processor is built in a thread
while the loop keeps answering with the old one, and the agent's references are swapped in
one step on the loop, as `Agent.load_model` sets them. A turn already running keeps the
processor it started with (`Agent.handle_message` holds it). When the model server cannot be
reached at start, the agent loads `local_model` (MODEL_PATH) instead of starting empty, with
the file's SHA-256 as fingerprint (what the model server sends as ETag for the same file).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from pathlib import Path

logger = logging.getLogger(__name__)
_LOCAL_MODEL: Path | None = None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _build_processor(agent, model_path: str):
    from rasa.core.processor import MessageProcessor

    return MessageProcessor(
        model_path=model_path,
        tracker_store=agent.tracker_store,
        lock_store=agent.lock_store,
        action_endpoint=agent.action_endpoint,
        generator=agent.nlg,
        http_interpreter=agent.http_interpreter,
    )


def swap(agent, processor, fingerprint: str) -> None:
    """What `Agent.load_model` sets after building the processor, in one step on the loop."""
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator

    agent.processor = processor
    agent.domain = processor.domain
    agent._set_fingerprint(fingerprint)
    agent.tracker_store.domain = agent.domain
    if isinstance(agent.nlg, TemplatedNaturalLanguageGenerator):
        agent.nlg.responses = agent.domain.responses if agent.domain else {}


async def load_beside(agent, model_path: str, fingerprint: str) -> None:
    processor = await asyncio.get_running_loop().run_in_executor(None, _build_processor, agent, model_path)
    swap(agent, processor, fingerprint)
    logger.info("model %s in service (fingerprint %s)", processor.model_filename, fingerprint[:12])


async def update_model_from_server(model_server, agent) -> None:
    """`rasa.core.agent._update_model_from_server`, loading the new model off the event loop."""
    import aiohttp
    from rasa.core import agent as rasa_agent
    from rasa.nlu.utils import is_url
    from rasa.utils.common import TempDirectoryPath, get_temp_dir_name

    if not is_url(model_server.url):
        raise aiohttp.InvalidURL(model_server.url)
    with TempDirectoryPath(get_temp_dir_name()) as directory:
        try:
            fingerprint = await rasa_agent._pull_model_and_fingerprint(model_server, agent.fingerprint, directory)
            if fingerprint:
                await load_beside(agent, directory, fingerprint)
        except Exception:  # as Rasa's: the previous model stays loaded
            logger.exception("Failed to update model. The previous model will stay loaded instead.")
    if agent.processor is None and _LOCAL_MODEL is not None and _LOCAL_MODEL.exists():
        logger.warning("no model from %s: loading %s", model_server.url, _LOCAL_MODEL)
        await load_beside(agent, str(_LOCAL_MODEL), file_sha256(_LOCAL_MODEL))


def install(local_model: Path | None) -> None:
    global _LOCAL_MODEL
    from rasa.core import agent as rasa_agent

    _LOCAL_MODEL = Path(local_model) if local_model else None
    rasa_agent._update_model_from_server = update_model_from_server


MODELS_SECTION = """
# The model server (MODEL_SERVER_URL, added by `python -m bot serve rasa`): every Rasa process pulls
# the model in service (the retrain worker serves it, with its SHA-256 as ETag) every MODEL_PULL_SECONDS.
models:
  url: ${MODEL_SERVER_URL}
  wait_time_between_pulls: ${MODEL_PULL_SECONDS}
  headers:
    Authorization: Bearer ${MODEL_SERVER_TOKEN}
"""


def endpoints_with_model_server(endpoints: Path, folder: Path) -> Path:
    """A copy of `endpoints` with the `models:` section, written into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "endpoints-model-server.yml"
    path.write_text(endpoints.read_text(encoding="utf-8") + MODELS_SECTION, encoding="utf-8")
    return path
