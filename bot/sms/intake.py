"""What happens to an inbound SMS before (and after) the assistant reads it.

The channel (bot/sms_channel.py) stays thin: it checks the signature, then
calls `take_in` and, when there is something to read, the assistant, then
`send_replies`. Both functions block (database, Twilio API): the channel runs
them in a worker thread. Order of the checks:

1. record the MessageSid first: a second delivery of the same SMS stops here;
2. STOP / START, always honoured, even over the rate limit;
3. opted-out numbers: nothing is read or sent;
4. the per-number rate limit;
5. the privacy notice, once, as the first reply to a new number;
6. AIDE and CONTACT; images, empty, emoji-only, very long, other languages (kind answers);
7. secrets masked (with a warning), a reply "2" mapped to the choice it names.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.db import session_scope
from bot.phones import to_e164
from bot.privacy.hashing import keyed_hash, phone_hash
from bot.privacy.screening import screen_inbound
from bot.residents import resident_for_phone, sms_conversation_id
from bot.settings import Settings
from bot.sms import choices
from bot.sms.inbound import edge_case
from bot.sms.keywords import AIDE, CONTACT, START, STOP, keyword_of
from bot.sms.models import ANSWERED, InboundMessage, OutboundMessage
from bot.sms.opt_out import is_opted_out, opt_in, opt_out
from bot.sms.outbound import SmsConfig, send_sms
from bot.sms.rate_limit import check_rate
from bot.sms.signature import FormParams
from bot.text_cleaning import clean_text
from bot.texts import privacy as privacy_texts
from bot.texts import sms as texts

log = logging.getLogger(__name__)
TWILIO_OPT_OUT_TYPES = {"STOP": STOP, "START": START, "HELP": AIDE}


@dataclass(frozen=True)
class Intake:
    outcome: str  # converse, duplicate, no_sid, invalid_number, stop, start, opted_out, rate_limited, aide, media...
    message_sid: str = ""
    e164: str | None = None
    text: str | None = None  # what the assistant reads (only when outcome == "converse")
    written: str | None = None  # the masked text as written (a reply "2" not mapped): for a held conversation

    def conversation_id(self, key: str) -> str | None:
        """The Rasa conversation of the sender (`key`: HASH_KEY)."""
        return sms_conversation_id(self.e164, key) if self.e164 else None


def _num_media(params: FormParams) -> int:
    try:
        return int(params.first("NumMedia", "0") or 0)
    except ValueError:
        return 0


def _record(message_sid: str, from_hash: str, *, engine: Engine) -> bool:
    """Insert the inbound record; False when this MessageSid was already received."""
    try:
        with session_scope(engine) as session:
            session.add(InboundMessage(message_sid=message_sid, from_hash=from_hash))
        return True
    except IntegrityError:
        return False


def mark(message_sid: str, status: str, *, engine: Engine) -> None:
    with session_scope(engine) as session:
        session.execute(
            update(InboundMessage).where(InboundMessage.message_sid == message_sid).values(status=status[:20])
        )


def reply(e164: str, body: str, purpose: str = "reply", *, engine: Engine, sms: SmsConfig) -> None:
    """One SMS, in its own transaction (the status callback must find its SID at once)."""
    with session_scope(engine) as session:
        send_sms(session, sms=sms, to_e164=e164, body=body, purpose=purpose)


def _notice_already_sent(session, e164: str, key: str) -> bool:
    return (
        session.execute(
            select(OutboundMessage.id)
            .where(OutboundMessage.to_hash == phone_hash(e164, key), OutboundMessage.purpose == "notice")
            .limit(1)
        ).first()
        is not None
    )


def take_in(params: FormParams, settings: Settings, *, engine: Engine) -> Intake:
    """Everything before the assistant; the replies it needs are already sent (texts and the rate
    limit from `settings`, read by the channel)."""
    s = settings
    sms = SmsConfig.of(settings)
    key = s.hash_key
    sid = params.first("MessageSid") or params.first("SmsMessageSid")
    raw_from = params.first("From")
    body = clean_text(params.first("Body"))  # NUL, controls, invalid Unicode: never read nor stored
    if not sid:
        return Intake("no_sid")
    e164 = to_e164(raw_from, s.sms_default_region)
    from_hash = phone_hash(e164, key) if e164 else keyed_hash("raw-sender:" + raw_from, key)
    if not _record(sid, from_hash, engine=engine):
        log.info("sms %s from %s already received: ignored", sid, from_hash[:12])
        return Intake("duplicate", sid)
    if e164 is None:
        mark(sid, "invalid_number", engine=engine)
        return Intake("invalid_number", sid)
    # With Twilio's Advanced Opt-Out, Twilio names the keyword it recognised (any language).
    keyword = TWILIO_OPT_OUT_TYPES.get(params.first("OptOutType").upper()) or keyword_of(body)

    if keyword == STOP:
        with session_scope(engine) as session:
            already = is_opted_out(session, e164, key)
        if not already:
            reply(
                e164, texts.stop_confirmation(s.service_name), engine=engine, sms=sms
            )  # the last SMS this number gets
        with session_scope(engine) as session:
            opt_out(session, e164, key, source="sms")
        mark(sid, "stop", engine=engine)
        log.info("sms opt-out from %s", from_hash[:12])
        return Intake("stop", sid, e164)

    with session_scope(engine) as session:
        if keyword == START:
            opt_in(session, e164, key)
            opted_out = False
        else:
            opted_out = is_opted_out(session, e164, key)
        rate = check_rate(session, from_hash, limit=s.sms_rate_limit_per_hour)
        if not opted_out:
            resident_for_phone(session, e164, key)
        needs_notice = not _notice_already_sent(session, e164, key)
    if opted_out:
        mark(sid, "opted_out", engine=engine)  # nothing is read or sent until START
        return Intake("opted_out", sid, e164)
    if rate.limited and keyword != START:
        mark(sid, "rate_limited", engine=engine)
        if rate.notify:
            reply(e164, texts.rate_limited_text(s.city_contact_phone), engine=engine, sms=sms)
        log.info("sms from %s over the rate limit", from_hash[:12])
        return Intake("rate_limited", sid, e164)

    if needs_notice:
        reply(
            e164,
            privacy_texts.notice_text(s.service_name, s.retention_conversation_days, s.privacy_notice_url),
            purpose="notice",
            engine=engine,
            sms=sms,
        )
    if keyword == START:
        reply(e164, texts.start_confirmation(), engine=engine, sms=sms)
        mark(sid, "start", engine=engine)
        return Intake("start", sid, e164)
    if keyword == AIDE:
        reply(e164, texts.aide_text(s.service_name, s.city_name, s.city_contact_phone), engine=engine, sms=sms)
        mark(sid, "aide", engine=engine)
        return Intake("aide", sid, e164)
    if keyword == CONTACT:
        reply(
            e164,
            texts.contact_text(s.service_name, s.city_name, s.service_contact, s.city_contact_phone),
            engine=engine,
            sms=sms,
        )
        mark(sid, "contact", engine=engine)
        return Intake("contact", sid, e164)

    edge = edge_case(body, _num_media(params), s.city_contact_phone)
    if edge is not None:
        reply(e164, edge.reply, engine=engine, sms=sms)
        if not edge.read_text:
            mark(sid, edge.kind, engine=engine)
            return Intake(edge.kind, sid, e164)

    screened = screen_inbound(body.strip())
    if screened.had_secret:
        reply(e164, privacy_texts.secret_warning(), engine=engine, sms=sms)
    with session_scope(engine) as session:
        text = choices.resolve(session, from_hash, screened.text)
    return Intake("converse", sid, e164, text, screened.text)


def send_replies(intake: Intake, messages: list[dict], *, engine: Engine, sms: SmsConfig) -> int:
    """The assistant's replies, in order, numbered choices remembered; returns how many."""
    rendered = [
        choices.render(m.get("text") or "", m.get("buttons")) for m in messages if m.get("text") or m.get("buttons")
    ]
    rendered = [r for r in rendered if r.text.strip()]
    if rendered:
        last_choices = {}
        for item in rendered:
            if item.choices:
                last_choices = item.choices
        with session_scope(engine) as session:
            choices.remember(session, phone_hash(intake.e164, sms.hash_key), last_choices)
    for item in rendered:
        reply(intake.e164, item.text, engine=engine, sms=sms)
    mark(intake.message_sid, ANSWERED, engine=engine)
    return len(rendered)
