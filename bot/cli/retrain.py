"""`python -m bot retrain`: train with the reviewed examples, evaluate, put in service only if not worse.

  python -m bot retrain             one retrain now, in this process; prints the figures before/after
  python -m bot retrain --worker    the Procfile's worker: serves the model in service to Rasa
                                    (MODEL_SERVER_PORT) and runs the desk's "Réentraîner" requests
  python -m bot retrain --rollback  the previous model back in service
  python -m bot retrain --history   the models, newest first

Rasa side (.venv): training and evaluation load Rasa. A request while another one waits or
runs is refused (exit code 3).
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import time

from bot.settings import get_settings, require_safe_settings


def config_from(settings, data: str | None = None):
    from pathlib import Path

    from bot.retrain.worker import DATA, WorkerConfig

    return WorkerConfig(
        store_dir=settings.model_store_dir, tolerance=settings.retrain_tolerance, data_dir=Path(data) if data else DATA
    )


def seconds_between(start, end) -> str:
    if start is None or end is None:
        return "?"
    return f"{(end.replace(tzinfo=None) - start.replace(tzinfo=None)).total_seconds():.0f}"


def print_row(row, out=sys.stdout) -> None:
    from bot.retrain.compare import HEADLINE, SET_LABELS

    out.write(f"model {row.id}: {row.status}" + (f" ({row.reason})" if row.reason else "") + "\n")
    if row.training_seconds is not None:
        out.write(
            f"  {row.reviewed_examples} reviewed examples; training {row.training_seconds} s, "
            f"done in {seconds_between(row.started_at, row.finished_at)} s with the evaluations\n"
        )
    if row.figures and row.baseline_figures:
        for set_name, after in row.figures.items():
            before = row.baseline_figures.get(set_name, {})
            out.write(f"  {SET_LABELS.get(set_name, set_name)}\n")
            for key, label, *_ in HEADLINE:
                if key in after:
                    out.write(f"    {label:52} {before.get(key, 0):6.1%} -> {after[key]:6.1%}\n")


def worker(settings, factory, data: str | None = None) -> int:
    from bot.retrain.model_server import start_model_server
    from bot.retrain.worker import STALE_AFTER, recover, register_deployed, run_pending

    log = logging.getLogger("bot.retrain")
    config = config_from(settings, data)
    with factory() as session:
        if recover(session):
            log.warning("a retrain left running by a stopped worker is marked failed")
        register_deployed(session, settings.model_path, config.store_dir)
    server = start_model_server(factory, settings.listen_host, settings.model_server_port, settings.model_server_token)
    print(
        f"retrain worker: model server on http://{settings.listen_host}:{settings.model_server_port}/model, "
        f"requests every {settings.retrain_poll_seconds:g} s",
        flush=True,
    )
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    try:
        while not stopping:
            with factory() as session:
                recover(session, STALE_AFTER)
                row = run_pending(session, config)
                if row is not None:
                    print_row(row)
                    sys.stdout.flush()
            deadline = time.monotonic() + settings.retrain_poll_seconds
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot retrain", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--worker", action="store_true", help="serve the model and run the desk's requests")
    mode.add_argument("--rollback", action="store_true", help="put the previous model back in service")
    mode.add_argument("--history", action="store_true", help="list the models")
    parser.add_argument("--data", help="the training data folder, read only (default: data/ of the checkout)")
    args = parser.parse_args(argv)
    settings = require_safe_settings(get_settings())
    logging.basicConfig(level=getattr(logging, settings.log_level.upper(), logging.INFO), stream=sys.stderr)

    from bot import schema  # noqa: F401 (every table, for the foreign keys)
    from bot.db import make_engine, session_factory
    from bot.retrain import service

    engine = make_engine(settings.database_url)
    factory = session_factory(engine)
    try:
        if args.worker:
            return worker(settings, factory, args.data)
        with factory() as session:
            if args.history:
                for row in service.history(session):
                    print(
                        f"{row.id:>4} {row.created_at:%Y-%m-%d %H:%M} {row.source:9} {row.status:11}"
                        f"{' serving' if row.serving else ''} {row.reason or ''}"
                    )
                return 0
            if args.rollback:
                try:
                    row = service.rollback(session, "ligne de commande")
                except service.NoPreviousModel:
                    print("no previous model to roll back to")
                    return 1
                print(f"model {row.id} back in service; Rasa pulls it within {settings.model_pull_seconds} s")
                return 0
            from bot.retrain.worker import STALE_AFTER, recover, register_deployed, run_request

            config = config_from(settings, args.data)
            recover(session, STALE_AFTER)
            register_deployed(session, settings.model_path, config.store_dir)
            try:
                row = service.request_retrain(session, "cli", user_name="ligne de commande")
            except service.RetrainBusy:
                print("a retrain is already waiting or running: try again when it is over")
                return 3
            row = service.claim(session)
            if row is None:  # a worker took it first: it reports in the desk
                print("the retrain worker took the request")
                return 0
            print(f"retraining (model {row.id})...", flush=True)
            row = run_request(session, row, config)
            print_row(row)
            return 0 if row.status != "failed" else 1
    finally:
        engine.dispose()
