"""Tables of held conversations: who holds a resident's conversation, and what was said meanwhile.

`conversation_holds` has one row per conversation (its Rasa conversation id,
`sms:<keyed hash>` or `web:<uuid>`): the row says who holds it while
`ended_at` is empty, and keeps the last hold's facts after. Every channel
reads it before it calls Rasa (bot/conversations/hold.py), so a hold holds
across every Rasa replica without touching Rasa's tracker.

`conversation_messages` keeps what the resident and the conseiller wrote
during holds (masked by bot/privacy/screening.py before storage), the
keywords the resident sent (STOP, AIDE...) and the notices the resident was
given. Erasure, export and retention cover both tables (bot/privacy/).
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text

from bot.db import Base, utcnow

AUTHORS = ("resident", "conseiller", "assistant", "notice")


class ConversationHold(Base):
    __tablename__ = "conversation_holds"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(100), nullable=False, unique=True)
    channel = Column(String(10), nullable=False)  # sms | web
    user_id = Column(Integer, ForeignKey("desk_users.id", ondelete="SET NULL"), nullable=True, index=True)
    holder_name = Column(String(120), nullable=False)  # the name the resident is told
    ticket_id = Column(Integer, ForeignKey("tickets.id", ondelete="SET NULL"), nullable=True, index=True)
    place_id = Column(Integer, ForeignKey("places.id", ondelete="SET NULL"), nullable=True, index=True)
    started_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    last_activity_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    ended_at = Column(DateTime(timezone=True), nullable=True, index=True)
    end_reason = Column(String(20), nullable=True)  # hand_back, ticket_closed, inactivity, erasure
    last_read_id = Column(Integer, nullable=False, default=0)  # the conseiller's side: messages read
    away_notice_at = Column(DateTime(timezone=True), nullable=True)  # "un conseiller vous répondra..."
    notified_at = Column(DateTime(timezone=True), nullable=True)  # the holder told of unread messages

    @property
    def active(self) -> bool:
        return self.ended_at is None


class ConversationMessage(Base):
    __tablename__ = "conversation_messages"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(100), nullable=False, index=True)
    hold_id = Column(Integer, ForeignKey("conversation_holds.id", ondelete="CASCADE"), nullable=False, index=True)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    author = Column(String(12), nullable=False)  # one of AUTHORS
    author_name = Column(String(120), nullable=True)  # the conseiller's name, shown to the resident
    kind = Column(String(20), nullable=False, default="text")  # text, keyword:stop, keyword:aide...
    text = Column(Text, nullable=False)  # masked before storage
