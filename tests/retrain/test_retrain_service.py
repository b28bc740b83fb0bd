"""Retrain requests, the decision and rollbacks, on the database (issue 17, point 4).

The trainings and evaluations here go through the worker's seams (a model file copied,
figures given): the real training and the real Rasa server are in test_retrain_live.py.
"""

from __future__ import annotations

import multiprocessing
import shutil
import urllib.error
import urllib.request

import pytest

from bot.db import make_engine, session_factory
from bot.nlu.evaluation import Example, read_nlu_file, read_nlu_folder, typo_copies
from bot.rasa_model_swap import file_sha256
from bot.retrain import service
from bot.retrain.model_server import start_model_server
from bot.retrain.models import ModelStatus
from bot.retrain.worker import WorkerConfig, register_deployed, run_pending, training_copy
from bot.settings import ROOT
from tests.conftest import fresh_schema
from tests.support.live_bot import free_port

REVIEWED = "les courriels narrivent plus chez moi faute de place"
FIGURES = {
    "blind": {
        "answer_accuracy": 0.70,
        "reached_after_one_question": 0.90,
        "precision_of_answers": 0.94,
        "unanswerable_declined_or_clarified": 0.80,
        "thematique_accuracy": 0.84,
        "request_accuracy": 0.95,
        "clarified_of_all_messages": 0.16,
    },
    "old": {
        "answer_accuracy": 0.87,
        "reached_after_one_question": 0.95,
        "precision_of_answers": 0.96,
        "unanswerable_declined_or_clarified": 0.0,
        "thematique_accuracy": 0.98,
        "request_accuracy": 0.97,
        "clarified_of_all_messages": 0.06,
    },
}


def _request(url: str, queue) -> None:
    from bot import schema  # noqa: F401 (every table, for the foreign keys)

    engine = make_engine(url)
    with session_factory(engine)() as session:
        try:
            service.request_retrain(session, "desk")
            queue.put("accepted")
        except service.RetrainBusy:
            queue.put("refused")
    engine.dispose()


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
@pytest.mark.processes  # six spawned interpreters
def test_concurrent_retrain_requests_from_several_processes_are_refused_but_one(database, sqlite_url, postgres_url):
    url = sqlite_url if database == "sqlite" else postgres_url
    fresh_schema(url).dispose()
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    processes = [context.Process(target=_request, args=(url, queue)) for _ in range(6)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(120)
    answers = sorted(queue.get(timeout=10) for _ in processes)
    assert answers == ["accepted"] + ["refused"] * 5
    engine = make_engine(url)
    with session_factory(engine)() as session:
        assert service.active_request(session).status == ModelStatus.REQUESTED
        # Refused while it runs too; accepted again once it is over.
        assert service.claim(session).status == ModelStatus.RUNNING
        with pytest.raises(service.RetrainBusy):
            service.request_retrain(session, "cli")
        service.finish(session, service.active_request(session), ModelStatus.FAILED, "test")
        assert service.request_retrain(session, "cli").status == ModelStatus.REQUESTED
    engine.dispose()


@pytest.fixture
def store(tmp_path, model_path):
    return WorkerConfig(store_dir=tmp_path / "store")


@pytest.fixture
def session(db_engine):
    with session_factory(db_engine)() as session:
        yield session


def fake_training(model_path):
    def train(data, out_dir, cache_dir):
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / "candidate.tar.gz"
        shutil.copy2(model_path, target)
        with open(target, "ab") as file:  # another file, another hash
            file.write(b"\0" * 512)
        return target

    return train


def figures_by_model(worse_for: set[str]):
    def evaluate(path, sets):
        figures = {name: dict(values) for name, values in FIGURES.items()}
        if any(marker in str(path) for marker in worse_for):
            figures["blind"]["precision_of_answers"] -= 0.01  # 0.94 -> 0.93: worse on one figure only
        return figures

    return evaluate


def test_a_model_worse_on_one_figure_is_refused_and_one_not_worse_goes_in_service(session, store, model_path):
    deployed = register_deployed(session, model_path, store.store_dir)
    assert deployed.status == ModelStatus.IN_SERVICE and deployed.sha256 == file_sha256(model_path)
    first = service.request_retrain(session, "desk", user_name="Camille")
    row = run_pending(
        session, store, train_fn=fake_training(model_path), evaluate_fn=figures_by_model({f"/{first.id}-"})
    )
    assert row.status == ModelStatus.REFUSED and row.serving is None and row.active is None
    assert "jeu aveugle : précision des réponses données 94.0 % -> 93.0 %" in row.reason
    assert service.serving(session).id == deployed.id
    second = service.request_retrain(session, "desk")
    row = run_pending(session, store, train_fn=fake_training(model_path), evaluate_fn=figures_by_model(set()))
    assert row.id == second.id and row.status == ModelStatus.IN_SERVICE and row.baseline_id == deployed.id
    assert row.figures == row.baseline_figures and service.serving(session).id == second.id
    session.refresh(deployed)
    assert deployed.status == ModelStatus.RETIRED


def test_a_failed_training_keeps_the_model_in_service(session, store, model_path):
    deployed = register_deployed(session, model_path, store.store_dir)
    service.request_retrain(session, "cli")

    def broken(data, out_dir, cache_dir):
        raise RuntimeError("rasa train failed (1)")

    row = run_pending(session, store, train_fn=broken, evaluate_fn=figures_by_model(set()))
    assert row.status == ModelStatus.FAILED and "rasa train failed" in row.reason
    assert service.serving(session).id == deployed.id and service.active_request(session) is None


def test_rollback_puts_the_previous_model_back_and_the_model_server_hands_it_to_rasa(
    session, db_engine, store, model_path
):
    deployed = register_deployed(session, model_path, store.store_dir)
    with pytest.raises(service.NoPreviousModel):
        service.rollback(session)
    service.request_retrain(session, "desk")
    new = run_pending(session, store, train_fn=fake_training(model_path), evaluate_fn=figures_by_model(set()))
    port = free_port()
    server = start_model_server(session_factory(db_engine), "127.0.0.1", port, token="model-token")
    url = f"http://127.0.0.1:{port}/model"
    try:

        def get(etag=None, token="model-token"):
            headers = {"Authorization": f"Bearer {token}", **({"If-None-Match": etag} if etag else {})}
            try:
                with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:
                    return response.status, response.headers.get("ETag"), response.read()
            except urllib.error.HTTPError as error:
                return error.code, error.headers.get("ETag"), b""

        status, etag, body = get()
        assert (
            status == 200
            and etag == new.sha256
            and len(body) == (store.store_dir / f"{new.id}-{new.sha256[:12]}.tar.gz").stat().st_size
        )
        assert get(etag)[0] == 304
        assert get(token="wrong")[0] == 401
        back = service.rollback(session, "Camille")
        assert back.id == deployed.id and service.serving(session).id == deployed.id
        session.refresh(new)
        assert new.status == ModelStatus.RETIRED and "retour en arrière" in new.reason
        status, etag, body = get(new.sha256)
        assert status == 200 and etag == file_sha256(model_path) and body == model_path.read_bytes()
    finally:
        server.shutdown()


def test_a_new_deployed_model_goes_in_service_and_a_known_one_changes_nothing(session, store, model_path, tmp_path):
    first = register_deployed(session, model_path, store.store_dir)
    assert register_deployed(session, model_path, store.store_dir).id == first.id
    other = tmp_path / "other.tar.gz"
    shutil.copy2(model_path, other)
    with open(other, "ab") as file:
        file.write(b"\0" * 512)
    second = register_deployed(session, other, store.store_dir)
    assert second.id != first.id and service.serving(session).id == second.id
    assert service.previous_model(session).id == first.id


def test_the_training_copy_holds_the_reviewed_examples_and_never_touches_the_checkout(tmp_path):
    before = {p.name: p.stat().st_mtime for p in (ROOT / "data" / "nlu").iterdir()}
    copy = training_copy(ROOT / "data", [Example(REVIEWED, "faq_email/boite_pleine")], tmp_path / "data")
    examples = read_nlu_folder(copy / "nlu")
    assert sum(e.intent == "faq_email/boite_pleine" and "courriels" in e.text for e in examples) >= 1
    assert (copy / "nlu" / "reviewed_from_inbox.yml").exists() and (copy / "stories").is_dir()
    # The typo copies cover the reviewed example too.
    generated = read_nlu_file(copy / "nlu" / "generated_typos.yml")
    expected = typo_copies([Example(REVIEWED, "faq_email/boite_pleine")])
    assert expected and expected[0] in generated
    assert {p.name: p.stat().st_mtime for p in (ROOT / "data" / "nlu").iterdir()} == before


def test_a_request_left_running_by_a_stopped_process_is_failed_after_an_hour(session):
    from datetime import timedelta

    from bot.db import utcnow
    from bot.retrain.worker import STALE_AFTER, recover

    service.request_retrain(session, "cli")
    row = service.claim(session)
    assert recover(session, STALE_AFTER) == 0 and service.active_request(session).id == row.id
    row.started_at = utcnow() - timedelta(hours=2)
    session.commit()
    assert recover(session, STALE_AFTER) == 1
    session.refresh(row)
    assert row.status == ModelStatus.FAILED and row.active is None
    assert service.request_retrain(session, "cli").status == ModelStatus.REQUESTED
