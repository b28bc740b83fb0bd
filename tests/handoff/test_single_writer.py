"""bot/handoff/ is the only writer of appointments, their seats, tickets and ticket events.

Two checks: a scan of the source of bot/ and actions/ (constructors, assignments to
the models' columns, bulk UPDATE/DELETE, raw SQL), and a guard that records, while
every other writer of the product runs in-process (desk, permanence administration,
erasure, retention, reminders, the SMS status callback), which module made each write.
"""

from __future__ import annotations

import ast
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from bot import handoff
from bot.booking.models import Appointment, SlotSeat
from bot.data_rights.erasure import erase_phone
from bot.data_rights.retention import RetentionPolicy, purge
from bot.db import session_scope
from bot.desk import permanence_admin, ticket_actions
from bot.places.models import Place
from bot.reminders import ReminderPolicy, send_due_reminders
from bot.residents import resident_for_phone
from bot.settings import ROOT, get_settings
from bot.sms.models import OutboundMessage
from bot.sms.outbound import SmsConfig
from bot.sms.status import apply_status
from bot.tickets.models import Ticket, TicketEvent
from tests.handoff.test_actions_in_process import PHONE, book_by_sms, individual_slot
from tests.support.live_bot import TEST_SECRETS

HASH_KEY = TEST_SECRETS["HASH_KEY"]

MODELS = {model.__name__: model for model in (Appointment, SlotSeat, Ticket, TicketEvent)}
TABLES = {model.__tablename__ for model in MODELS.values()}
# Names a variable holding one of these rows goes by in this code base.
ROW_NAMES = ("ticket", "appointment", "rdv", "seat", "event")
COLUMNS = {name for model in MODELS.values() for name in model.__table__.columns.keys()} - {"id"}


def _base_name(node: ast.AST) -> str:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.value if not isinstance(node, ast.Call) else node.func
    return node.id if isinstance(node, ast.Name) else ""


def _targets(node: ast.AST):
    if isinstance(node, (ast.Tuple, ast.List)):
        for element in node.elts:
            yield from _targets(element)
    else:
        yield node


def writes_in(source: str) -> list[str]:
    """What in `source` writes the watched tables, one line each."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name in MODELS:
                found.append(f"{node.lineno}: {name}(...)")
            if name in ("update", "delete", "insert") and node.args and _base_name(node.args[0]) in MODELS:
                found.append(f"{node.lineno}: {name}({_base_name(node.args[0])})")
            if name == "setattr" and node.args and any(w in _base_name(node.args[0]).lower() for w in ROW_NAMES):
                found.append(f"{node.lineno}: setattr({_base_name(node.args[0])}, ...)")
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            for target in (
                t for raw in getattr(node, "targets", [getattr(node, "target", None)]) for t in _targets(raw)
            ):
                if isinstance(target, ast.Attribute) and target.attr in COLUMNS:
                    base = _base_name(target).lower()
                    if any(word in base for word in ROW_NAMES):
                        found.append(f"{node.lineno}: {_base_name(target)}.{target.attr} =")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = " ".join(node.value.lower().split())
            for table in TABLES:
                if any(f"{verb} {table}" in text for verb in ("update", "insert into", "delete from")):
                    found.append(f"{node.lineno}: SQL on {table}")
    return found


def product_modules():
    for folder in ("bot", "actions"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if relative.parts[:2] in (("bot", "handoff"), ("bot", "migrations")):
                continue
            yield relative, path.read_text(encoding="utf-8")


def test_no_module_outside_bot_handoff_writes_appointments_or_tickets_in_its_source():
    offenders = {str(path): found for path, source in product_modules() if (found := writes_in(source))}
    assert offenders == {}, f"write through bot.handoff instead: {offenders}"


def test_the_scan_sees_each_kind_of_write():
    source = """
ticket.status = "clos"
old_ticket.place_id, changed = 3, True
appointment.cancelled_at = now
session.add(Appointment(resident_id=1))
session.execute(update(Ticket).values(status="clos"))
session.execute(sa.text("UPDATE tickets SET status = 'clos'"))
message.status = "sent"
"""
    found = writes_in(source)
    assert len(found) == 6 and not any("message" in line for line in found), found


def test_the_guard_names_a_writer_outside_the_handoff_core(city_db, write_guard):
    fake = ROOT / "bot" / "desk" / "not_a_writer.py"
    code = compile("def write(ticket):\n    ticket.status = 'clos'\n", str(fake), "exec")
    namespace: dict = {}
    exec(code, namespace)
    with session_scope(city_db) as s:
        sender = resident_for_phone(s, PHONE, HASH_KEY).conversation_id
        slot = individual_slot(s, "mairie-borny").as_dict()
    appointment_id = book_by_sms(city_db, sender, slot)
    assert write_guard.outside == []
    with session_scope(city_db) as s:
        namespace["write"](s.execute(select(Ticket).where(Ticket.appointment_id == appointment_id)).scalar_one())
        s.rollback()
    assert write_guard.outside == [("bot/desk/not_a_writer.py", "Ticket.status =")]


def test_every_other_writer_goes_through_the_handoff_core(city_db, write_guard):
    """The desk, the permanence administration, the SMS status callback, the reminders,
    erasure and retention, each run once: every write is made inside bot/handoff/."""
    with session_scope(city_db) as s:
        sender = resident_for_phone(s, PHONE, HASH_KEY).conversation_id
        first = individual_slot(s, "mairie-borny")
        second = individual_slot(s, "mairie-borny", exclude=[first.key()])
        third = individual_slot(s, "mairie-borny", exclude=[first.key(), second.key()])
    appointment_id = book_by_sms(city_db, sender, first.as_dict())
    with session_scope(city_db) as s:
        ticket = s.execute(select(Ticket).where(Ticket.appointment_id == appointment_id)).scalar_one()
        for action in ("confirme", "vu", "absent", "confirme"):
            ticket_actions.change_status(s, ticket, action, "nadia")
        ticket_actions.reschedule(s, ticket, "nadia", second, limit=2, sms=SmsConfig.of(get_settings()))
        ticket_actions.text_resident(s, ticket, "nadia", "Bonjour", sms=SmsConfig.of(get_settings()))
        ticket_actions.record_outcome(
            s, ticket, "nadia", {"duree": "30", "autonomie": "autonome"}, ["email"], ["telephone"]
        )
        sid = s.execute(select(OutboundMessage.twilio_sid).where(OutboundMessage.ticket_id == ticket.id)).first()
    with session_scope(city_db) as s:  # the status callback of a failed confirmation
        message = s.execute(select(OutboundMessage).where(OutboundMessage.purpose == "confirmation")).scalars().first()
        message.twilio_sid = "SM" + "f" * 32
    with session_scope(city_db) as s:
        apply_status(s, "SM" + "f" * 32, "failed", "30003", on_failure=handoff.flag_sms_failure)
    later = book_by_sms(city_db, sender, third.as_dict())
    with session_scope(city_db) as s:
        start = s.get(Appointment, later).start
        send_due_reminders(
            s,
            now=start - timedelta(hours=24),
            policy=ReminderPolicy.of(get_settings()),
            sms=SmsConfig.of(get_settings()),
        )
        place = s.execute(select(Place).where(Place.slug == "mairie-borny")).scalar_one()
        day = start.astimezone(timezone.utc).date()
        permanence_admin.add_closure(
            s,
            place,
            day - timedelta(days=1),
            day + timedelta(days=1),
            "travaux",
            "coord",
            sms=SmsConfig.of(get_settings()),
        )
    with session_scope(city_db) as s:
        elsewhere = individual_slot(s, "mediatheque-verlaine").as_dict()
    book_by_sms(city_db, sender, elsewhere)
    with session_scope(city_db) as s:
        assert erase_phone(s, PHONE, HASH_KEY).appointments_cancelled == 1
        purge(s, now=datetime.now(timezone.utc) + timedelta(days=4000), policy=RetentionPolicy.of(get_settings()))
    kinds = {what for _path, what in write_guard.writes}
    assert {
        "Ticket(...)",
        "Appointment(...)",
        "SlotSeat(...)",
        "TicketEvent(...)",
        "Ticket.place_id =",
        "Appointment.status =",
        "UPDATE appointments",
        "DELETE slot_seats",
    } <= kinds, kinds
    assert write_guard.outside == []
    assert sid is not None
