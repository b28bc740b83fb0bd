"""The retrain worker (Rasa side, `.venv`): train with the reviewed examples, evaluate, decide.

One request (bot/retrain/service.py) goes through `run_request`:
1. the training data are copied into a temporary folder (data/nlu without its typo file,
   data/stories, data/rules), with the labelled review items not already in data/nlu
   (bot/nlu/reviewed.py `examples_for_retrain`) and typo copies of everything, as `make
   train` makes them; the checkout is never written;
2. `python -m bot rasa train` trains there (a subprocess: its memory goes back when it ends);
3. the new model and the one in service are evaluated by the same code on the held-out sets
   (the blind set and the old one: bot/cli/eval.py's decisions and figures);
4. the new model goes in service only when it is not worse on any headline figure
   (bot/retrain/compare.py, `RETRAIN_TOLERANCE`); otherwise it is kept as refused, with why.
The model in service is the one the model server (bot/retrain/model_server.py) hands to Rasa.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import utcnow
from bot.nlu.evaluation import Example, read_labelled, read_nlu_file, render_nlu, typo_copies
from bot.nlu.reviewed import examples_for_retrain, render_reviewed
from bot.rasa_model_swap import file_sha256
from bot.retrain import service
from bot.retrain.compare import headline, worse
from bot.retrain.models import ModelStatus, ModelVersion
from bot.settings import ROOT

logger = logging.getLogger(__name__)
DATA = ROOT / "data"
GENERATED = "generated_typos.yml"
TRAIN_TIMEOUT_SECONDS = 900


@dataclass(frozen=True)
class WorkerConfig:
    store_dir: Path  # MODEL_STORE_DIR: the models and the training cache
    tolerance: float = 0.0  # RETRAIN_TOLERANCE
    data_dir: Path = DATA
    heldout_sets: tuple[tuple[str, Path], ...] = (
        ("blind", ROOT / "tests" / "nlu" / "blind.yml"),
        ("old", ROOT / "tests" / "nlu" / "heldout.yml"),
    )


def training_copy(data_dir: Path, reviewed: list[Example], dest: Path) -> Path:
    """data/ copied into `dest` with the reviewed examples and fresh typo copies; returns dest."""
    nlu = dest / "nlu"
    nlu.mkdir(parents=True)
    examples = []
    for path in sorted((data_dir / "nlu").glob("*.yml")):
        if path.name == GENERATED:
            continue
        shutil.copy2(path, nlu / path.name)
        examples.extend(read_nlu_file(path, keep_entities=True))
    if reviewed:
        (nlu / "reviewed_from_inbox.yml").write_text(render_reviewed(reviewed), encoding="utf-8")
    (nlu / GENERATED).write_text(render_nlu(typo_copies(examples + reviewed)), encoding="utf-8")
    for folder in ("stories", "rules"):
        shutil.copytree(data_dir / folder, dest / folder)
    return dest


def train(data: Path, out_dir: Path, cache_dir: Path) -> Path:
    """`rasa train` on the copy; the model file."""
    env = {**os.environ, "RASA_CACHE_DIRECTORY": str(cache_dir), "RASA_TELEMETRY_ENABLED": "false"}
    command = [
        sys.executable,
        "-m",
        "bot",
        "rasa",
        "train",
        "--config",
        str(ROOT / "bot" / "config.yml"),
        "--domain",
        str(ROOT / "bot" / "domain"),
        "--data",
        str(data / "nlu"),
        str(data / "stories"),
        str(data / "rules"),
        "--out",
        str(out_dir),
        "--fixed-model-name",
        "candidate",
    ]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=TRAIN_TIMEOUT_SECONDS)
    model = out_dir / "candidate.tar.gz"
    if result.returncode != 0 or not model.exists():
        raise RuntimeError(f"rasa train failed ({result.returncode}): {result.stderr[-1500:]}")
    return model


def evaluate(model_path: Path, sets: tuple[tuple[str, Path], ...]) -> dict:
    """{set: headline figures} of one model, by `make eval`'s code (no noisy copies)."""
    from bot.nlu.evaluation import decide_all
    from bot.nlu.model import TrainedModel

    model = TrainedModel(model_path)
    try:
        return {name: headline(decide_all(model, read_labelled(path))[0].figures()) for name, path in sets}
    finally:
        model.close()


def register_deployed(session: Session, model_path: Path, store_dir: Path) -> ModelVersion | None:
    """The model of the checkout or image (MODEL_PATH) in the history: put in service when it is new
    (a deploy or `make train` is deliberate) or when nothing is; a copy is kept for rollbacks."""
    if not Path(model_path).exists():
        return service.serving(session)
    sha = file_sha256(model_path)
    known = session.execute(select(ModelVersion).where(ModelVersion.sha256 == sha)).scalars().first()
    if known is not None:
        if service.serving(session) is None:
            service.put_in_service(session, known)
            session.commit()
        return service.serving(session)
    store_dir.mkdir(parents=True, exist_ok=True)
    row = ModelVersion(source="deployed", status=ModelStatus.IN_SERVICE, sha256=sha)
    session.add(row)
    session.flush()
    copy = store_dir / f"{row.id}-{sha[:12]}.tar.gz"
    shutil.copy2(model_path, copy)
    row.path = str(copy)
    service.put_in_service(session, row)
    session.commit()
    return row


def run_request(
    session: Session,
    row: ModelVersion,
    config: WorkerConfig,
    train_fn: Callable[[Path, Path, Path], Path] = train,
    evaluate_fn: Callable[[Path, tuple], dict] = evaluate,
) -> ModelVersion:
    """Train, evaluate and decide one claimed request (the row ends in service, refused or failed)."""
    started = time.monotonic()
    try:
        baseline = service.serving(session)
        if baseline is None or not baseline.path or not Path(baseline.path).exists():
            raise RuntimeError("no model in service to compare with")
        selection = examples_for_retrain(session, config.data_dir / "nlu")
        (config.store_dir / "tmp").mkdir(parents=True, exist_ok=True)
        # The model in service is evaluated while the new one trains (another process, another core).
        baseline_figures: dict = {}
        evaluating = threading.Thread(
            target=lambda: baseline_figures.update(evaluate_fn(Path(baseline.path), config.heldout_sets)),
            name="baseline-evaluation",
        )
        evaluating.start()
        try:
            with tempfile.TemporaryDirectory(dir=config.store_dir / "tmp") as tmp:
                data = training_copy(config.data_dir, selection.examples, Path(tmp) / "data")
                candidate = train_fn(data, Path(tmp) / "out", config.store_dir / "cache")
                sha = file_sha256(candidate)
                path = config.store_dir / f"{row.id}-{sha[:12]}.tar.gz"
                shutil.move(str(candidate), path)
        finally:
            evaluating.join()
        row.path, row.sha256, row.reviewed_examples = str(path), sha, len(selection.examples)
        row.training_seconds = int(time.monotonic() - started)
        session.commit()
        row.figures = evaluate_fn(path, config.heldout_sets)
        if not baseline_figures:
            raise RuntimeError("the model in service could not be evaluated")
        row.baseline_figures, row.baseline_id = dict(baseline_figures), baseline.id
        losses = worse(row.baseline_figures, row.figures, config.tolerance)
        if losses:
            service.finish(
                session, row, ModelStatus.REFUSED, "moins bon que le modèle en service : " + "; ".join(losses)
            )
        else:
            service.finish(session, row, ModelStatus.IN_SERVICE)
    except Exception as error:  # recorded, shown in the desk; the model in service stays
        logger.exception("retrain %s failed", row.id)
        session.rollback()
        service.finish(session, row, ModelStatus.FAILED, f"{type(error).__name__}: {error}"[:2000])
    return row


STALE_AFTER = timedelta(hours=1)  # far beyond a training's timeout and two evaluations


def recover(session: Session, older_than: timedelta | None = None) -> int:
    """A request left running by a process that stopped (the worker at its start: any; otherwise
    one running for more than `older_than`): failed, so that a new one may come."""
    now = utcnow().replace(tzinfo=None)
    rows = [
        row
        for row in session.execute(select(ModelVersion).where(ModelVersion.status == ModelStatus.RUNNING)).scalars()
        if older_than is None or row.started_at is None or now - row.started_at.replace(tzinfo=None) > older_than
    ]
    for row in rows:
        service.finish(session, row, ModelStatus.FAILED, "le processus d'entraînement s'est arrêté")
    return len(rows)


def run_pending(session: Session, config: WorkerConfig, **seams) -> ModelVersion | None:
    row = service.claim(session)
    return run_request(session, row, config, **seams) if row is not None else None
