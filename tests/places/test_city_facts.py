"""The city's places file tells the truth checked in December 2026 (data/references.yml, fact: entries).

- Médiathèque Jean-Macé burned in 2023 and is being rebuilt: no slot is ever offered there.
- Médiathèque Verlaine opens Tu, Th, Fr 13-18 and We, Sa 10-18: every permanence sits inside.
- Every place names the facts it relies on, and every `checked` place has its sources.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from opening_hours import OpeningHours, State
from sqlalchemy import select

from bot.booking.slots import next_slots
from bot.db import session_scope
from bot.desk.places_loader import load_places
from bot.places.file import read_places_file
from bot.places.models import Place
from bot.settings import ROOT, get_settings
from bot.sms.outbound import SmsConfig
from bot.yaml_files import load_yaml
from tests.booking.helpers import WINDOW


def city():
    return read_places_file(get_settings().places_file)


def place(slug):
    return next(p for p in city()["places"] if p["slug"] == slug)


def test_no_slot_is_ever_offered_at_jean_mace(db_engine):
    with session_scope(db_engine) as session:
        load_places(session, get_settings().places_file, sms=SmsConfig.of(get_settings()))
        jean_mace = session.execute(select(Place).where(Place.slug == "mediatheque-jean-mace")).scalar_one()
        for start in (datetime(2026, 12, 1, 7, tzinfo=timezone.utc), datetime(2027, 6, 1, 7, tzinfo=timezone.utc)):
            for kind in ("individuel", "atelier"):
                assert (
                    next_slots(session, now=start, place_ids=[jean_mace.id], kind=kind, limit=50, window=WINDOW) == []
                )
                everywhere = next_slots(session, now=start, kind=kind, limit=200, window=WINDOW)
                assert all(s.place_id != jean_mace.id for s in everywhere)
        assert next_slots(session, now=datetime(2026, 12, 1, 7, tzinfo=timezone.utc), limit=3, window=WINDOW), (
            "other places stay open"
        )


def test_verlaines_permanences_sit_inside_its_opening_hours():
    verlaine = place("mediatheque-verlaine")
    hours = OpeningHours(verlaine["horaires"])
    start = datetime(2026, 12, 7)  # a Monday: one whole week, minute by minute of each permanence
    for permanence in verlaine["permanences"]:
        for opens, closes, state, _ in OpeningHours(permanence["schedule"]).intervals(start, start + timedelta(days=7)):
            if state != State.OPEN:
                continue
            minute = opens
            while minute < closes:
                assert hours.state(minute)[0] == State.OPEN, f"{permanence['slug']} at {minute:%a %H:%M}"
                minute += timedelta(minutes=15)
    assert "Tu,Th,Fr 13:00-18:00" in verlaine["horaires"]


def test_borny_is_at_the_pole_des_lauriers_and_lagora_is_listed():
    assert place("mairie-borny")["adresse"] == "Pôle des Lauriers, 3 bis rue d'Anjou"
    assert place("agora-patrotte")["nom"].startswith("L'Agora")


def test_every_checked_place_cites_facts_of_the_references_file():
    facts = {
        e["value"]
        for e in load_yaml((ROOT / "data" / "references.yml").read_text(encoding="utf-8"))["references"]
        if e["kind"] == "fact"
    }
    for entry in city()["places"]:
        assert set(entry.get("sources") or []) <= facts, entry["slug"]
        if entry.get("checked"):
            assert entry.get("sources"), f"{entry['slug']}: checked, but from what?"
        assert "a_verifier" in entry, f"{entry['slug']}: say what is still to check"


def test_the_neighbourhood_example_names_places_that_exist():
    domain = load_yaml((ROOT / "bot" / "domain" / "booking.yml").read_text(encoding="utf-8"))
    question = domain["responses"]["utter_ask_neighbourhood"][0]["text"]
    example = question.split("Par exemple :", 1)[1]
    aliases = {a for p in city()["places"] for a in p.get("aliases") or []}
    for word in ("Borny", "La Patrotte"):
        assert word in example and word.lower() in aliases
    assert "Sablon" not in example
