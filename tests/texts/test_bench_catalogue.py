"""The SMS segment bench (`python -m bot bench-sms`) lists the catalogue's texts, which the old parser missed.

Before bot/texts/, the bench parsed actions/*.py for `utter_message(text="<literal>")`:
it never saw an f-string, a text built in bot/ (the desk's cancellation, the
notifications to conseillers) nor the other variants of a text.
"""

from __future__ import annotations

import ast

from bot.settings import ROOT
from bot.sms.bench import every_sms_text
from bot.texts import sms_catalogue, spoken
from tests.booking.helpers import ROUTES


def old_parser_texts() -> set[str]:
    """What the bench used to find: literal text= constants of utter_message in actions/."""
    found = set()
    for path in sorted((ROOT / "actions").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "utter_message":
                found |= {k.value.value for k in node.keywords if k.arg == "text" and isinstance(k.value, ast.Constant)}
    return found


def test_the_bench_lists_every_sms_text_of_the_catalogue_and_no_spoken_one():
    entries = {e.name: e.text for e in every_sms_text(routes_file=ROUTES)}
    for name, text in sms_catalogue().items():
        assert entries.get(name) == text, name
    assert not spoken() & entries.keys()


def test_the_bench_sees_f_strings_the_desk_cancellation_and_notifications_the_old_parser_missed():
    entries = {e.name: e.text for e in every_sms_text(routes_file=ROUTES)}
    missed = old_parser_texts()
    for name in (
        "booking.already_booked",  # an f-string in actions/booking.py
        "desk.cancellation_by_desk",  # sent by bot/desk/permanence_admin.py
        "notify.new_ticket",  # the conseillers' SMS (bot/desk/notify.py)
        "voice.help_sms",  # the phone line's SMS
        "booking.confirmation[atelier]",
    ):  # a variant
        assert name in entries, name
        assert entries[name] not in missed, name
    assert "Vous avez déjà 3 rendez-vous prévus" in entries["booking.already_booked"]
