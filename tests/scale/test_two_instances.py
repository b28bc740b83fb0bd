"""Horizontal scale: two Rasa servers, one action server, one PostgreSQL, one Redis.

Each instance runs two Sanic workers, as deployed. Rasa's own mechanisms make several
instances safe: the SQL tracker store on
PostgreSQL (every instance reads the conversation the other one wrote) and the
Redis lock store (one message of a conversation at a time, whichever instance
receives it). Hundreds of conversations alternate their turns between the two
instances, some send two messages at once (one to each instance), a few send ten
at once, and some race through the triage for the same appointment slots. Then the database
must hold every message in order, each followed by the bot's answer, and the
bookings must respect each slot's capacity, each with its ticket.
"""

from __future__ import annotations

import json
import random
import threading
import urllib.request
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from sqlalchemy import func, select, text

from bot import migrate
from bot.booking.models import Appointment, SlotSeat
from bot.db import make_engine, session_scope
from bot.places.models import Permanence
from bot.residents import Resident
from bot.tickets.models import Ticket
from tests.conftest import REDIS_TEST_URL, load_city_places
from tests.support.live_bot import free_port, start_live_bot

pytestmark = [pytest.mark.live, pytest.mark.postgres, pytest.mark.redis, pytest.mark.model]

CONVERSATIONS = 200
TURNS = 3
BOOKERS = 12
BURSTS = 4
WORKERS = 20
# Distinct, everyday messages that never open a form.
CHAT = [
    "bonjour",
    "j'ai oublié mon mot de passe gmail",
    "merci beaucoup",
    "comment envoyer une pièce jointe",
    "au revoir",
    "mon téléphone est trop lent",
    "c'est quoi le cloud",
    "bonsoir",
    "comment faire ma déclaration d'impôts en ligne",
    "merci pour votre aide",
]
# The triage of tests/booking/test_booking_conversation.py, up to the slot offer.
TRIAGE = [
    "je veux un rendez-vous",
    "je n'arrive pas à envoyer un mail avec une pièce jointe",
    "2",
    "oui",
    "non",
    "j'habite à Borny",
    "plutôt l'après-midi",
    "Marie",
    "1",
]
CONFIRMED = "Rendez-vous confirmé"
TAKEN = "vient d'être pris"


def chat_plan(index: int) -> list[tuple[str, ...]]:
    """The turns of one conversation; every fifth one sends two messages at once."""
    texts = [CHAT[(index + k) % len(CHAT)] for k in range(TURNS + 1)]
    turns = [(t,) for t in texts[:TURNS]]
    if index % 5 == 0:
        turns[2] = (texts[2], texts[TURNS])
    return turns


class Driver:
    """Sends turns to the two instances in turn and remembers what was sent."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.sent: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        self.unanswered: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        # Every booker has its offer before any of them chooses: they race for the same slots.
        self.offers_made = threading.Barrier(BOOKERS, timeout=900)
        self.taken = 0

    def _post(self, port: int, sender: str, message: str) -> list[dict]:
        body = json.dumps({"sender": sender, "message": message}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=180) as response:
            return json.loads(response.read())

    def turn(self, sender: str, texts: tuple[str, ...], number: int) -> str:
        self.sent[sender].append(texts)
        if len(texts) == 1:
            return self._say(sender, texts[0], self.ports[number % 2])
        # Messages at the same moment, to both instances in turn: the lock store serialises them.
        answers = [None] * len(texts)
        threads = [
            threading.Thread(target=lambda i=i: answers.__setitem__(i, self._say(sender, texts[i], self.ports[i % 2])))
            for i in range(len(texts))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return " ".join(answers)

    def _say(self, sender: str, message: str, port: int) -> str:
        replies = self._post(port, sender, message)
        if not replies:
            with self.lock:
                self.unanswered.append((sender, message))
        return " ".join(r.get("text") or "" for r in replies)

    def burst(self, index: int) -> None:
        """A resident who sends ten messages at once (a phone that delivers a backlog)."""
        self.turn(f"web:{uuid.uuid4()}", tuple(CHAT), index)

    def chat(self, index: int) -> None:
        sender = f"web:{uuid.uuid4()}"
        for number, texts in enumerate(chat_plan(index)):
            self.turn(sender, texts, index + number)

    def book(self, index: int) -> tuple[str, bool]:
        """The whole triage, then take the first slot offered until one is confirmed."""
        sender = f"web:{uuid.uuid4()}"
        answers = [*TRIAGE, f"06 12 40 {index // 100:02d} {index % 100:02d}"]
        for number, answer in enumerate(answers):
            self.turn(sender, (answer,), index + number)
        self.offers_made.wait()
        for attempt in range(BOOKERS + 3):
            reply = self.turn(sender, ("1",), index + len(answers) + attempt)
            if CONFIRMED in reply:
                return sender, True
            if TAKEN not in reply:
                return sender, False
            with self.lock:
                self.taken += 1
        return sender, False


def stored_turns(engine, senders: set[str]) -> dict[str, list[tuple[str, int]]]:
    """Per conversation, in storage order: each user text with the number of bot messages after it."""
    turns: dict[str, list[list]] = defaultdict(list)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT sender_id, type_name, data FROM events ORDER BY id"))
        for sender, kind, data in rows:
            if sender not in senders:
                continue
            if kind == "user":
                turns[sender].append([json.loads(data).get("text"), 0])
            elif kind == "bot" and turns[sender]:
                turns[sender][-1][1] += 1
    return {sender: [tuple(t) for t in items] for sender, items in turns.items()}


def assert_in_order(sent: list[tuple[str, ...]], stored: list[tuple[str, int]]) -> None:
    assert len(stored) == sum(len(group) for group in sent), (sent, stored)
    position = 0
    for group in sent:
        chunk = stored[position : position + len(group)]
        # Two messages sent at the same moment may be handled in either order, never mixed.
        assert sorted(t for t, _ in chunk) == sorted(group), (sent, stored)
        assert all(bots >= 1 for _, bots in chunk), (sent, stored)
        position += len(group)


@pytest.fixture
def two_instances(postgres_url, model_path, tmp_path):
    migrate.upgrade(postgres_url)
    load_city_places(postgres_url)
    redis.Redis.from_url(REDIS_TEST_URL).flushdb()
    # Each instance with 2 Sanic workers, as deployed (deploy/compose.yml, deploy/k8s/rasa.yaml):
    # four Rasa processes share the conversations.
    bot = start_live_bot(
        model_path, postgres_url, tmp_path / "logs", {"REDIS_URL": REDIS_TEST_URL, "SANIC_WORKERS": "2"}
    )
    # Started one after the other: the first one creates Rasa's `events` table.
    second = free_port()
    bot.start_rasa(second)
    yield bot, [bot.rasa_port, second]
    bot.stop()


def test_two_rasa_instances_share_conversations_and_bookings(two_instances):
    bot, ports = two_instances
    driver = Driver(ports)
    jobs = (
        [("chat", i) for i in range(CONVERSATIONS)]
        + [("book", i) for i in range(BOOKERS)]
        + [("burst", i) for i in range(BURSTS)]
    )
    random.Random(7).shuffle(jobs)
    bookings = []
    run = {"chat": driver.chat, "book": driver.book, "burst": driver.burst}
    with ThreadPoolExecutor(WORKERS) as pool:
        futures = [pool.submit(run[kind], i) for kind, i in jobs]
        for (kind, _), future in zip(jobs, futures):
            result = future.result()
            if kind == "book":
                bookings.append(result)

    assert not driver.unanswered, driver.unanswered[:5]
    engine = make_engine(bot.env["DATABASE_URL"])
    stored = stored_turns(engine, set(driver.sent))
    assert set(stored) == set(driver.sent)
    for sender, sent in driver.sent.items():
        assert_in_order(sent, stored[sender])

    confirmed = {sender for sender, ok in bookings if ok}
    assert confirmed, "no conversation could book: see the logs in the test's tmp_path"
    # The same first slot was offered to every booker: the race really happened.
    assert driver.taken >= 1, driver.taken
    with session_scope(engine) as s:
        per_slot = s.execute(
            select(Appointment.permanence_id, Appointment.start, func.count())
            .where(Appointment.status == "booked")
            .group_by(Appointment.permanence_id, Appointment.start)
        ).all()
        for permanence_id, start, count in per_slot:
            assert count <= s.get(Permanence, permanence_id).capacity, (permanence_id, start, count)
        booked = s.execute(
            select(Appointment, Resident.conversation_id)
            .join(Resident, Resident.id == Appointment.resident_id)
            .where(Appointment.status == "booked")
        ).all()
        assert sorted(c for _, c in booked) == sorted(confirmed)
        for appointment, _ in booked:
            seat = s.execute(select(SlotSeat).where(SlotSeat.appointment_id == appointment.id)).scalar_one()
            assert (seat.permanence_id, seat.start) == (appointment.permanence_id, appointment.start)
            assert (
                s.execute(
                    select(func.count()).select_from(Ticket).where(Ticket.appointment_id == appointment.id)
                ).scalar_one()
                == 1
            )
    print(
        f"\n{len(driver.sent)} conversations, {sum(len(g) for v in driver.sent.values() for g in v)} "
        f"messages, {len(confirmed)}/{BOOKERS} bookings confirmed across {len(per_slot)} slots, "
        f"{driver.taken} times a slot was taken first by another conversation"
    )
    engine.dispose()
