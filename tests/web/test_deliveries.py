"""bot/web/deliveries.py on SQLite and on a real PostgreSQL: a widget message is
answered once, a retry gets the stored answer, the same message arriving several
times at the same instant is taken by one request only."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from bot.web import deliveries

SENDER = "web:0b7f0c3e-4f3a-4d8e-9a51-2f6f5a0c1d22"
ANSWER = [{"recipient_id": SENDER, "text": "Bonjour ! Que puis-je faire pour vous ?"}]


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request):
    return request.getfixturevalue("db_engine" if request.param == "sqlite" else "pg_engine")


def rows(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [
            tuple(row)
            for row in conn.execute(sa.select(deliveries.WebDelivery.sender, deliveries.WebDelivery.message_id))
        ]


def test_a_retry_gets_the_stored_answer_and_the_next_message_takes_the_row(engine):
    assert deliveries.claim(SENDER, "message-one", engine).new
    in_progress = deliveries.claim(SENDER, "message-one", engine)
    assert not in_progress.new and in_progress.answer is None
    deliveries.answered(SENDER, "message-one", ANSWER, engine)
    assert deliveries.claim(SENDER, "message-one", engine) == deliveries.Claim(new=False, answer=ANSWER)

    # The next message replaces the previous one: one row per conversation, nothing kept longer.
    assert deliveries.claim(SENDER, "message-two", engine).new
    assert rows(engine) == [(SENDER, "message-two")]
    assert deliveries.claim(SENDER, "message-two", engine).answer is None


def test_a_failed_answer_is_released_for_the_retry(engine):
    assert deliveries.claim(SENDER, "message-one", engine).new
    deliveries.release(SENDER, "message-one", engine)
    assert deliveries.claim(SENDER, "message-one", engine).new


@pytest.mark.parametrize("existing", [False, True], ids=["first message", "next message"])
def test_the_same_message_arriving_eight_times_at_once_is_taken_once(engine, existing):
    if existing:
        deliveries.claim(SENDER, "message-before", engine)
    barrier = threading.Barrier(8)
    claims = []

    def take():
        barrier.wait()
        claims.append(deliveries.claim(SENDER, "message-same", engine))

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(claims) == 8
    assert sum(claim.new for claim in claims) == 1, claims
    assert rows(engine) == [(SENDER, "message-same")]
