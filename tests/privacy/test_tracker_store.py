"""The tracker store writes redacted events, reads them back, and forgets an erased conversation."""

from __future__ import annotations

import asyncio
import json

import sqlalchemy as sa
from rasa.shared.core.events import BotUttered, SlotSet, UserUttered

from bot.data_rights.erasure import ERASED_VALUE, ERASURE_SLOT
from tests.privacy.conftest import save, shows_digits

CARD = "4970 1012 3456 7893"
PASSWORD = "Soleil2024"


def stored(engine, sender_id: str) -> list[str]:
    with engine.connect() as conn:
        return [
            json.dumps(json.loads(row[0]), ensure_ascii=False)
            for row in conn.execute(
                sa.text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender_id}
            )
        ]


def test_secrets_never_reach_the_database_but_the_tracker_reads_back(tracker_store, privacy_db):
    text = f"ma carte {CARD} est refusée"
    tracker = save(tracker_store, "sms:alice", [text])
    tracker.update(SlotSet("besoin", f"mon mot de passe est {PASSWORD}"))
    tracker.update(
        UserUttered(
            f"iban FR76 3000 6000 0112 3456 7890 189 et {CARD}",
            parse_data={
                "text": f"carte {CARD}",
                "intent": {"name": "faq_x", "confidence": 1.0},
                "entities": [{"entity": "numero", "value": CARD, "start": 6, "end": 25}],
            },
            metadata={"raw": CARD},
        )
    )
    tracker.update(BotUttered(f"Vous avez écrit {CARD}"))
    asyncio.run(tracker_store.save(tracker))

    # In memory, the assistant worked on the message as it came.
    assert CARD in tracker.events[1].text
    rows = stored(privacy_db, "sms:alice")
    assert len(rows) == len(tracker.events)
    everything = "\n".join(rows)
    assert not shows_digits(everything, "4970") and not shows_digits(everything, "7893")
    assert PASSWORD not in everything and "3456 7890 189" not in everything
    assert "[masqué]" in everything
    assert "est refusée" in everything  # the rest of the message is kept

    loaded = asyncio.run(tracker_store.retrieve("sms:alice"))
    assert len(loaded.events) == len(tracker.events)
    assert loaded.events[1].text == "ma carte [masqué] est refusée"
    assert loaded.get_slot("besoin") == "mon mot de passe est [masqué]"

    # The next save appends only the new events.
    loaded.update(UserUttered("merci"))
    asyncio.run(tracker_store.save(loaded))
    assert len(stored(privacy_db, "sms:alice")) == len(tracker.events) + 1


def test_the_erasure_action_deletes_its_conversation_and_only_it(tracker_store, privacy_db):
    save(tracker_store, "sms:bob", ["bonjour"])
    tracker = save(tracker_store, "sms:alice", ["bonjour", "SUPPRIMER MES DONNEES"])
    assert stored(privacy_db, "sms:alice")
    tracker.update(SlotSet(ERASURE_SLOT, "oui"))
    tracker.update(SlotSet(ERASURE_SLOT, ERASED_VALUE))
    tracker.update(BotUttered("C'est fait"))
    asyncio.run(tracker_store.save(tracker))
    assert stored(privacy_db, "sms:alice") == []
    assert asyncio.run(tracker_store.retrieve("sms:alice")) is None
    assert len(stored(privacy_db, "sms:bob")) == 4


def test_a_refused_erasure_keeps_the_conversation(tracker_store, privacy_db):
    tracker = save(tracker_store, "sms:alice", ["SUPPRIMER MES DONNEES"])
    tracker.update(SlotSet(ERASURE_SLOT, "non"))
    asyncio.run(tracker_store.save(tracker))
    assert len(stored(privacy_db, "sms:alice")) == len(tracker.events)


def test_each_event_is_written_once_across_sessions_whoever_built_the_tracker(tracker_store, privacy_db):
    """The store writes only what the table lacks: for a tracker it read (it knows how many of
    its events are stored) and for one built elsewhere (it counts them), saved once or twice,
    across a new conversation session."""
    from rasa.shared.core.events import ActionExecuted, SessionStarted

    built = save(tracker_store, "sms:alice", ["bonjour"])  # built in memory, never read
    assert len(stored(privacy_db, "sms:alice")) == len(built.events) == 4

    read = asyncio.run(tracker_store.retrieve("sms:alice"))
    read.update(UserUttered("merci"))
    read.update(BotUttered("Avec plaisir"))
    asyncio.run(tracker_store.save(read))
    asyncio.run(tracker_store.save(read))  # nothing new: nothing written
    assert len(stored(privacy_db, "sms:alice")) == 6

    read.update(SessionStarted())
    read.update(ActionExecuted("action_listen"))
    read.update(UserUttered("re-bonjour"))
    asyncio.run(tracker_store.save(read))
    assert len(stored(privacy_db, "sms:alice")) == 9
    latest = asyncio.run(tracker_store.retrieve("sms:alice"))
    assert [type(e).__name__ for e in latest.events] == ["SessionStarted", "ActionExecuted", "UserUttered"]
    assert len(asyncio.run(tracker_store.retrieve_full_tracker("sms:alice")).events) == 9

    # A tracker of the latest session built elsewhere, one event longer: only that event is added.
    elsewhere = type(latest)("sms:alice", tracker_store.domain.slots)
    for event in [*latest.events, BotUttered("Bonjour")]:
        elsewhere.update(event)
    asyncio.run(tracker_store.save(elsewhere))
    rows = stored(privacy_db, "sms:alice")
    assert len(rows) == 10 and json.loads(rows[-1])["text"] == "Bonjour"
