"""OUI or NON to a freed seat, read before Rasa by the SMS channel (bot/sms_channel.py).

When the number has an offer waiting (bot/waitlist/service.py), its OUI takes the
seat whatever the state of the Rasa conversation (a triage half done, a form, a
conseiller's hold): the channel does not call Rasa for it. Its NON ends the offer at
once (the next residents on the list get the slot at the next run) and keeps the
resident on the list. Any other message, or a OUI or NON with no offer waiting, goes
on to Rasa as before.

A resident who went on talking with the assistant after the offer was sent may say OUI or
NON to its newer question ("Cette réponse vous aide ?"): then the bare OUI or NON is the
assistant's (a DEFERRED answer), and the channel adds, after the assistant's replies, a
line saying the seat still waits and that PLACE takes it. PLACE and "je prends" always mean
the offer. Blocking: the channel runs it in a worker thread.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from bot.booking.timeutil import as_utc
from bot.db import session_scope
from bot.sms.outbound import SmsConfig, send_sms
from bot.waitlist import service


def answer_sms(
    e164: str,
    text: str,
    *,
    max_appointments: int,
    routes_file: Path,
    now: datetime | None = None,
    engine: Engine,
    sms: SmsConfig,
) -> service.Answer | None:
    """The answer to an offer, already sent; None when the message is not one (Rasa reads it);
    DEFERRED when a bare OUI or NON answers the assistant (Rasa reads it, `reply` follows).
    `max_appointments`: BOOKING_MAX_FUTURE_APPOINTMENTS, `routes_file`: ROUTES_FILE, passed by the SMS channel."""
    yes, no = service.is_yes(text), service.is_no(text)
    if not (yes or no):
        return None
    with session_scope(engine) as session:
        now = as_utc(now or service.now_utc())
        offer = service.pending_offer(session, e164, now, sms.hash_key)
        if offer is None:
            return None
        if not service.is_take(text) and service.talked_since(session, e164, offer.sent_at, sms.hash_key):
            return service.Answer(service.DEFERRED, service.reminder_of(session, offer))
        if no:
            answer = service.refuse(session, offer, now)
        else:
            answer = service.take(
                session, offer, now, max_appointments=max_appointments, routes_file=routes_file, sms=sms
            )
    if answer.reply:
        with session_scope(engine) as session:
            send_sms(session, sms=sms, to_e164=e164, body=answer.reply, purpose="waitlist_reply")
    return answer
