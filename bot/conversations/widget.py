"""What the web widget learns of a held conversation (bot/web/channel.py serves it).

Polling, not a push: the widget asks `GET /webhooks/web/messages?sender=web:<uuid>&after=<id>`
every 5 s while a conseiller holds its conversation (backing off when nothing comes,
stopping when the hold ends). Any Rasa replica answers it from the shared database,
so it needs no sticky session and no message queue, as the rest of the widget's protocol.
A conversation id is a random uuid the browser keeps: knowing it is what lets
a browser read its own conversation, as for the POST webhook.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine

from bot.conversations import hold as holds
from bot.db import session_scope
from bot.sms.outbound import SmsConfig

FOR_THE_RESIDENT = ("conseiller", "notice")


def held_messages(sender: str, after: int, hours: int, *, engine: Engine, sms: SmsConfig) -> dict:
    """{"held": bool, "by": name, "messages": [{"id", "from", "name", "text"}], "last": id}."""
    with session_scope(engine) as session:
        hold = holds.active_hold(
            session, sender, hours=hours, sms=sms
        )  # ends a hold past its time (the notice follows)
        row = hold or holds.hold_row(session, sender)
        messages = (
            holds.messages_of(session, sender, after=after, hold_id=row.id, authors=FOR_THE_RESIDENT)
            if row is not None
            else []
        )
        return {
            "held": hold is not None,
            "by": hold.holder_name if hold is not None else None,
            "messages": [{"id": m.id, "from": m.author, "name": m.author_name, "text": m.text} for m in messages],
            "last": messages[-1].id if messages else after,
        }


def held_answer(sender: str, route) -> list[dict]:
    """The webhook's answer in a held conversation: who holds it. Notices (the away notice) are
    stored messages: the widget's next poll brings them, once."""
    if route.hold_id is None:
        return []
    return [{"recipient_id": sender, "custom": {"hold": {"by": route.held_by}}}]
