"""The SMS keywords every city number must honour: STOP, START, AIDE, CONTACT.

STOP (also ARRET, ARRÊT, "STOP SMS") puts the number on the opposition list:
nothing more is sent to it, reminders included, until START. AIDE (or HELP)
gives the service's name and how to reach a person. CONTACT (mandatory on a
French short code) says who runs the service and how to reach them. A keyword is the whole
message, whatever the case, accents, spacing or final punctuation, so that
"stop" is a keyword but "comment stopper les pubs ?" is a question.
"""

from __future__ import annotations

import re
import unicodedata

STOP, START, AIDE, CONTACT = "stop", "start", "aide", "contact"

KEYWORDS = {
    "STOP": STOP,
    "STOP SMS": STOP,
    "STOPSMS": STOP,
    "ARRET": STOP,
    "ARRET SMS": STOP,
    "START": START,
    "START SMS": START,
    "STARTSMS": START,
    "AIDE": AIDE,
    "HELP": AIDE,
    "CONTACT": CONTACT,
    "CONTACTS": CONTACT,
}


def _plain(text: str) -> str:
    without_accents = "".join(c for c in unicodedata.normalize("NFD", text or "") if not unicodedata.combining(c))
    words = re.sub(r"[^\w]+", " ", without_accents).split()
    return " ".join(words).upper()


def keyword_of(text: str) -> str | None:
    """STOP, START, AIDE or CONTACT when the whole message is that keyword, else None."""
    return KEYWORDS.get(_plain(text))
