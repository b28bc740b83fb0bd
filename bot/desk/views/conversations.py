"""Conversations in the desk: the inbox of held conversations, the recent ones, and one conversation.

A conseiller opens a resident's conversation (from a ticket or from the recent
list), reads the last exchanges (masked, as stored), takes it over, writes, and
hands it back to the assistant. Who may see what: bot/desk/scope.py. What a
hold is: bot/conversations/hold.py, its one writer.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from bot.conversations import hold as holds
from bot.conversations.models import ConversationHold, ConversationMessage
from bot.desk import client_ip, db, desk_settings
from bot.desk.scope import can_see_conversation, can_see_ticket, visible_place_ids
from bot.desk.views import log
from bot.privacy.conversations import EVENTS, events_table_exists
from bot.privacy.redaction import redact
from bot.sms.outbound import SmsConfig
from bot.tickets.models import Ticket

bp = Blueprint("conversations", __name__)
RECENT_LIMIT = 50
EXCHANGES = 20
FILTERS = {"moi": "Suivies par moi", "lieux": "Mes lieux", "attente": "En attente de réponse"}


def _visible(conversation_id: str) -> None:
    if (
        not conversation_id
        or len(conversation_id) > 100
        or not can_see_conversation(db(), current_user, conversation_id)
    ):
        abort(404)


def _held_rows(filter_name: str) -> list[dict]:
    session = db()
    rows = []
    hours = desk_settings().human_hold_hours
    for hold in session.execute(select_active()).scalars():
        if (
            holds.active_hold(session, hold.conversation_id, hours=hours, sms=SmsConfig.of(desk_settings())) is None
        ):  # past its time: ended now
            continue
        if not can_see_conversation(session, current_user, hold.conversation_id):
            continue
        last = session.execute(
            sa.select(ConversationMessage)
            .where(  # automatic notices answer nothing
                ConversationMessage.hold_id == hold.id, ConversationMessage.author != "notice"
            )
            .order_by(ConversationMessage.id.desc())
            .limit(1)
        ).scalar()
        waiting = last is not None and last.author == "resident"
        if filter_name == "moi" and hold.user_id != current_user.id:
            continue
        if filter_name == "lieux":
            ids = visible_place_ids(session, current_user)
            if ids is not None and hold.place_id not in ids:
                continue
        if filter_name == "attente" and not waiting:
            continue
        rows.append(
            {
                "hold": hold,
                "unread": holds.unread_count(session, hold),
                "waiting": waiting,
                "last_at": hold.last_activity_at,
            }
        )
    session.commit()
    return rows


def select_active():
    return (
        sa.select(ConversationHold)
        .where(ConversationHold.ended_at.is_(None))
        .order_by(ConversationHold.last_activity_at.desc())
    )


def _recent() -> list[dict]:
    """The latest conversations Rasa stored, the ones this user may see, with their last message masked."""
    session = db()
    if not events_table_exists(session):
        return []
    last = sa.func.max(EVENTS.c.timestamp).label("last")
    rows = session.execute(
        sa.select(EVENTS.c.sender_id, last)
        .where(sa.or_(EVENTS.c.sender_id.like("sms:%"), EVENTS.c.sender_id.like("web:%")))
        .group_by(EVENTS.c.sender_id)
        .order_by(last.desc())
        .limit(RECENT_LIMIT * 4)
    )
    found = []
    for sender_id, _last in rows:
        if not can_see_conversation(session, current_user, sender_id):
            continue
        exchanges = _exchanges(sender_id, 1)
        found.append(
            {"id": sender_id, "channel": holds.channel_of(sender_id), "last": exchanges[-1] if exchanges else None}
        )
        if len(found) >= RECENT_LIMIT:
            break
    return found


def _exchanges(conversation_id: str, limit: int = EXCHANGES) -> list[dict]:
    """The last user and bot messages Rasa stored (masked by the tracker store; masked again here)."""
    session = db()
    if not events_table_exists(session):
        return []
    rows = session.execute(
        sa.select(EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data)
        .where(EVENTS.c.sender_id == conversation_id, EVENTS.c.type_name.in_(("user", "bot")))
        .order_by(EVENTS.c.id.desc())
        .limit(limit)
    ).all()
    exchanges = []
    for type_name, timestamp, data in reversed(rows):
        try:
            text = json.loads(data or "{}").get("text")
        except ValueError:
            text = None
        if text:
            exchanges.append(
                {
                    "from": "resident" if type_name == "user" else "assistant",
                    "text": redact(text),
                    "timestamp": timestamp or 0,
                }
            )
    return exchanges


@bp.route("/conversations")
def index():
    filter_name = request.args.get("filtre", "")
    held = _held_rows(filter_name if filter_name in FILTERS else "")
    return render_template(
        "conversations.html",
        title="Conversations",
        held=held,
        recent=_recent(),
        filters=FILTERS,
        filter_name=filter_name,
    )


@bp.route("/conversations/<int:hold_id>")
def by_hold(hold_id: int):
    hold = db().get(ConversationHold, hold_id)
    if hold is None:
        abort(404)
    return redirect(url_for("conversations.show", id=hold.conversation_id))


@bp.route("/conversations/voir")
def show():
    conversation_id = request.args.get("id", "")
    _visible(conversation_id)
    session = db()
    hold = holds.active_hold(
        session, conversation_id, hours=desk_settings().human_hold_hours, sms=SmsConfig.of(desk_settings())
    )
    row = hold or holds.hold_row(session, conversation_id)
    messages = list(
        reversed(
            session.execute(
                sa.select(ConversationMessage)
                .where(ConversationMessage.conversation_id == conversation_id)
                .order_by(ConversationMessage.id.desc())
                .limit(200)
            )
            .scalars()
            .all()
        )
    )
    if hold is not None and hold.user_id == current_user.id:
        holds.mark_read(session, hold)
    tickets = [t for t in holds.tickets_of(session, conversation_id) if can_see_ticket(session, current_user, t)]
    log("view", "conversation", row.id if row else None, {"channel": holds.channel_of(conversation_id)})
    session.commit()
    return render_template(
        "conversation.html",
        title="Conversation",
        conversation_id=conversation_id,
        hold=hold,
        exchanges=_exchanges(conversation_id),
        messages=messages,
        tickets=tickets,
        mine=hold is not None and hold.user_id == current_user.id,
        max_text=holds.MAX_TEXT,
    )


def _back(conversation_id: str):
    return redirect(url_for("conversations.show", id=conversation_id))


@bp.route("/conversations/prendre", methods=["POST"])
def take():
    conversation_id = request.form.get("id", "")
    _visible(conversation_id)
    session = db()
    ticket = None
    if (request.form.get("ticket") or "").isdigit():
        ticket = session.get(Ticket, int(request.form["ticket"]))
        if ticket is None or not can_see_ticket(session, current_user, ticket):
            abort(404)
    try:
        holds.take_over(
            session,
            conversation_id,
            current_user,
            ticket=ticket,
            ip=client_ip(),
            hours=desk_settings().human_hold_hours,
            sms=SmsConfig.of(desk_settings()),
        )
    except holds.AlreadyHeld:
        session.rollback()
        flash("Un autre conseiller suit déjà cette conversation.", "error")
        return _back(conversation_id)
    except holds.OptedOut:
        session.rollback()
        flash("Cette personne a demandé à ne plus recevoir de SMS (STOP). Rien n'a été envoyé.", "error")
        return _back(conversation_id)
    session.commit()
    flash("Vous suivez cette conversation. La personne est prévenue ; ses messages arrivent ici.")
    return _back(conversation_id)


def _my_hold(hold_id: int) -> ConversationHold:
    hold = db().get(ConversationHold, hold_id)
    if hold is None:
        abort(404)
    _visible(hold.conversation_id)
    return hold


@bp.route("/conversations/<int:hold_id>/ecrire", methods=["POST"])
def write(hold_id: int):
    hold = _my_hold(hold_id)
    text = (request.form.get("texte") or "").strip()
    if not text:
        flash("Écrivez le message avant de l'envoyer.", "error")
        return _back(hold.conversation_id)
    if len(text) > holds.MAX_TEXT:
        flash(f"Le message est trop long ({len(text)} caractères, {holds.MAX_TEXT} au plus).", "error")
        return _back(hold.conversation_id)
    session = db()
    if (
        holds.active_hold(
            session, hold.conversation_id, hours=desk_settings().human_hold_hours, sms=SmsConfig.of(desk_settings())
        )
        is None
    ):
        session.commit()
        flash("La conversation est revenue à l'assistant. Reprenez-la pour écrire.", "error")
        return _back(hold.conversation_id)
    try:
        holds.conseiller_writes(session, hold, current_user, text, ip=client_ip(), sms=SmsConfig.of(desk_settings()))
    except holds.NotHeld:
        session.rollback()
        flash("Vous ne suivez pas cette conversation.", "error")
        return _back(hold.conversation_id)
    except holds.OptedOut:
        session.rollback()
        flash("Cette personne a demandé à ne plus recevoir de SMS (STOP). Rien n'a été envoyé.", "error")
        return _back(hold.conversation_id)
    session.commit()
    flash("Message envoyé.")
    return _back(hold.conversation_id)


@bp.route("/conversations/<int:hold_id>/rendre", methods=["POST"])
def hand_back(hold_id: int):
    hold = _my_hold(hold_id)
    session = db()
    if not hold.active or (hold.user_id != current_user.id and not current_user.is_coordinateur):
        flash("Vous ne suivez pas cette conversation.", "error")
        return _back(hold.conversation_id)
    holds.hand_back(session, hold, current_user, ip=client_ip(), sms=SmsConfig.of(desk_settings()))
    session.commit()
    flash("L'assistant reprend la conversation. La personne est prévenue.")
    return _back(hold.conversation_id)
