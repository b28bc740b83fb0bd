"""Log records hold neither plain phone numbers nor secrets: numbers become their keyed hash."""

from __future__ import annotations

import io
import logging

from bot.logging_setup import install_log_redaction, scrub
from bot.privacy.hashing import phone_hash
from tests.support.live_bot import TEST_SECRETS

HASH_KEY = TEST_SECRETS["HASH_KEY"]


def test_every_record_is_scrubbed_whatever_logger_or_handler():
    install_log_redaction(HASH_KEY, "FR")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)  # a handler made after the installation, as Rasa's are
    logger = logging.getLogger("tests.privacy.some.library")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        logger.info("sms from %s: %s", "+33612345678", "ma carte 4970 1012 3456 7893")
        logger.info("rappel au 06 12 34 56 78, mdp: azerty123")
        try:
            raise ValueError("bad number 06.12.34.56.78")
        except ValueError:
            logger.exception("failed for %s", "0033 6 12 34 56 78")
    finally:
        logger.removeHandler(handler)
    out = stream.getvalue()
    for plain in ("+33612345678", "06 12 34 56 78", "06.12.34.56.78", "0033 6 12", "4970", "azerty123"):
        assert plain not in out, plain
    token = "tel#" + phone_hash("+33612345678", HASH_KEY)[:12]
    assert out.count(token) >= 4  # one person, followed across lines by the same hash
    assert "[masqué]" in out and "ValueError" in out


def test_ordinary_numbers_stay_readable():
    line = "GET /webhooks/rest/webhook 200 in 12 ms, pid 12345, 2026-11-22 21:40:00, sms 7 of 30"
    assert scrub(line, HASH_KEY, "FR") == line
