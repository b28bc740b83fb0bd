"""Personal data through the real servers and the trained model: SMS webhook, REST, action server."""

from __future__ import annotations

import json
import re
import uuid

import pytest
import sqlalchemy as sa

from bot.booking.models import Appointment, AppointmentStatus
from bot.db import session_scope
from bot.privacy.hashing import phone_hash
from bot.residents import Resident, sms_conversation_id
from bot.sms.models import OutboundMessage
from bot.tickets.models import Ticket, TicketStatus
from tests.privacy.conftest import shows_digits
from tests.privacy.live_helpers import engine_of, sms, stored_events
from tests.support.live_bot import TEST_SECRETS

HASH_KEY = TEST_SECRETS["HASH_KEY"]

CARD = "4970 1012 3456 7893"
CARD_DIGITS = CARD.replace(" ", "")


def plain(text: str) -> str:
    return text.lower()


def book_by_sms(bot, phone: str, besoin: str) -> str:
    """A whole triage and booking by SMS; the confirmation."""
    assert "questions courtes" in sms(bot, phone, "je veux un rendez-vous")
    assert "appareil" in sms(bot, phone, besoin)
    sms(bot, phone, "2")  # téléphone
    sms(bot, phone, "oui")  # has an e-mail address
    sms(bot, phone, "non")  # no login
    sms(bot, phone, "Borny")
    sms(bot, phone, "2")  # afternoon
    sms(bot, phone, "Marie")
    offer = sms(bot, phone, "1")  # no particular need; the number is known: the offer comes
    assert "1." in offer, offer
    return sms(bot, phone, "1")


def ticket_of(engine, conversation_id: str) -> Ticket | None:
    with session_scope(engine) as s:
        return (
            s.execute(
                sa.select(Ticket)
                .join(Resident, Ticket.resident_id == Resident.id)
                .where(Resident.conversation_id == conversation_id)
                .order_by(Ticket.id.desc())
            )
            .scalars()
            .first()
        )


def test_a_card_number_sent_by_sms_is_absent_from_the_tracker_store_and_the_ticket(live_bot):
    phone = "+33611223301"
    sms(live_bot, phone, "bonjour")
    confirmation = book_by_sms(live_bot, phone, f"ma carte {CARD} est refusée sur le site des impots")
    assert "Rendez-vous confirm" in confirmation
    conversation = stored_events(live_bot, sms_conversation_id(phone, HASH_KEY))
    assert "est refusée sur le site" in conversation  # the message was stored, masked
    assert CARD not in conversation and CARD_DIGITS not in conversation and not shows_digits(conversation, "7893")
    engine = engine_of(live_bot)
    ticket = ticket_of(engine, sms_conversation_id(phone, HASH_KEY))
    everything = json.dumps([ticket.triage, ticket.transcript_excerpt, ticket.activity_report], ensure_ascii=False)
    assert "refusée sur le site" in everything and "[masqué]" in everything
    assert not shows_digits(everything, "7893")
    with session_scope(engine) as s:
        bodies = s.execute(sa.select(OutboundMessage.body)).scalars().all()
    assert not any(shows_digits(body, "7893") for body in bodies)
    engine.dispose()


def test_a_card_number_sent_over_rest_is_read_but_never_stored(live_bot):
    sender = "web:" + uuid.uuid4().hex
    replies = live_bot.texts(sender, f"on me demande ma carte {CARD} au téléphone, c'est une arnaque ?")
    assert replies
    stored = stored_events(live_bot, sender)
    assert "au téléphone" in stored and "[masqué]" in stored
    assert not shows_digits(stored, "7893") and CARD_DIGITS not in stored


def test_supprimer_mes_donnees_by_sms_asks_then_erases_everything_of_that_person(live_bot):
    phone, other = "+33611223302", "+33611223303"
    engine = engine_of(live_bot)
    sms(live_bot, other, "bonjour")
    sms(live_bot, phone, "bonjour")
    assert "Rendez-vous confirm" in book_by_sms(live_bot, phone, "envoyer un mail a ma fille zebulon")
    with session_scope(engine) as s:
        resident = s.execute(
            sa.select(Resident).where(Resident.conversation_id == sms_conversation_id(phone, HASH_KEY))
        ).scalar_one()
        appointment = s.execute(sa.select(Appointment).where(Appointment.resident_id == resident.id)).scalar_one()
        resident_id, appointment_id = resident.id, appointment.id

    # Any answer but yes keeps everything.
    assert "OUI pour confirmer" in sms(live_bot, phone, "SUPPRIMER MES DONNEES")
    assert "je n'efface rien" in sms(live_bot, phone, "non")
    assert "zebulon" in stored_events(live_bot, sms_conversation_id(phone, HASH_KEY))

    assert "OUI pour confirmer" in sms(live_bot, phone, "je veux que vous effaciez tout")
    done = sms(live_bot, phone, "OUI")
    assert "sont effaces" in done or "sont effacés" in done, done

    assert stored_events(live_bot, sms_conversation_id(phone, HASH_KEY)) == ""
    assert "bonjour" in stored_events(live_bot, sms_conversation_id(other, HASH_KEY))
    with session_scope(engine) as s:
        resident = s.get(Resident, resident_id)
        assert resident.phone_e164 is None and resident.first_name is None
        assert s.get(Appointment, appointment_id).status == AppointmentStatus.EXCUSED
        ticket = s.execute(sa.select(Ticket).where(Ticket.resident_id == resident_id)).scalar_one()
        assert ticket.transcript_excerpt is None and "besoin" not in ticket.triage
        assert ticket.status == TicketStatus.CLOS
        bodies = s.execute(sa.select(OutboundMessage.body, OutboundMessage.to_e164)).all()
    before_erasure = [b for b, to in bodies if to == phone]
    # Only the SMS confirming the erasure itself still goes to the number.
    assert len(before_erasure) == 1 and "effac" in before_erasure[0]
    engine.dispose()

    # A new message starts afresh, with the notice again.
    assert "SUPPRIMER MES DONNEES" in sms(live_bot, phone, "bonjour")


def test_no_plain_phone_number_card_or_message_text_in_the_logs(live_bot):
    phone_words = "06 12 34 99 88"
    sms_phone = "+33611223304"
    sender = "web:" + uuid.uuid4().hex
    say = lambda text: " ".join(live_bot.texts(sender, text))  # noqa: E731
    assert "questions courtes" in say("je veux un rendez-vous")
    say(f"ma carte {CARD} ne marche pas sur leboncoin xylophone")
    for answer in ("1", "oui", "oui", "Borny", "1", "Quentin", "1"):
        say(answer)
    offer = say(phone_words)
    assert "1." in offer, offer
    assert "Rendez-vous confirm" in say("1")
    sms(live_bot, sms_phone, "bonjour j'ai une question xylophone")
    sms(live_bot, sms_phone, f"mon mot de passe est Tulipe2024 et ma carte {CARD}")

    logs = "\n".join(path.read_text(errors="replace") for path in sorted(live_bot.log_dir.glob("*.log")))
    assert logs, "the servers wrote no log"
    digits_only = re.sub(r"[ .\-]", "", logs)
    for number in ("0612349988", "612349988", "0611223304", "611223304"):
        assert number not in digits_only, number
    assert CARD not in logs and "Tulipe2024" not in logs
    for text in ("xylophone", "leboncoin", "Quentin", "mot de passe est"):
        assert text not in logs, text


@pytest.fixture(scope="module")
def debug_bot(model_path, tmp_path_factory):
    """The live bot with every process at DEBUG, where Rasa logs each message it receives."""
    from bot import migrate
    from tests.conftest import load_city_places
    from tests.support.live_bot import start_live_bot

    folder = tmp_path_factory.mktemp("debug_bot")
    database_url = f"sqlite:///{folder / 'app.db'}"
    migrate.upgrade(database_url)
    load_city_places(database_url)
    bot = start_live_bot(model_path, database_url, folder / "logs", extra_env={"LOG_LEVEL": "DEBUG"})
    yield bot
    bot.stop()


def test_even_at_debug_the_logs_show_a_phone_number_only_as_its_keyed_hash(debug_bot):
    sender = "web:" + uuid.uuid4().hex
    debug_bot.texts(sender, f"rappelez moi au 06 12 34 99 77, ma carte {CARD} est bloquée")
    sms(debug_bot, "+33611223305", "bonjour, mon code de confirmation est 482913")
    logs = "\n".join(path.read_text(errors="replace") for path in sorted(debug_bot.log_dir.glob("*.log")))
    # Rasa logged the message (DEBUG), scrubbed: the number as its keyed hash, the card masked.
    assert "tel#" + phone_hash("+33612349977", HASH_KEY)[:12] in logs
    assert "ma carte [masqué] est bloqu" in logs
    digits_only = re.sub(r"[ .\-]", "", logs)
    assert "0612349977" not in digits_only and "612349977" not in digits_only
    assert "611223305" not in digits_only
    assert CARD not in logs and CARD_DIGITS not in logs and "482913" not in logs
