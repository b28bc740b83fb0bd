"""The places file seeds the database; the desk owns it afterwards."""

from __future__ import annotations

from sqlalchemy import select

from bot.db import session_scope
from bot.desk.places_loader import load_places
from bot.places.models import Permanence, Place
from bot.settings import get_settings
from bot.sms.outbound import SmsConfig


def test_loading_twice_keeps_desk_edits_and_update_lets_the_file_win(db_engine):
    path = get_settings().places_file
    with session_scope(db_engine) as s:
        first = load_places(s, path, sms=SmsConfig.of(get_settings()))
        assert first["places"] >= 7 and first["permanences"] >= 7
    with session_scope(db_engine) as s:
        permanence = s.execute(select(Permanence).where(Permanence.slug == "borny-nadia")).scalar_one()
        file_schedule = permanence.schedule
        permanence.schedule = "Mo 09:00-10:00"  # edited in the desk
        s.add(
            Permanence(
                slug="desk-only",
                place_id=permanence.place_id,
                conseiller_id=permanence.conseiller_id,
                schedule="Fr 09:00-10:00",
            )
        )
    with session_scope(db_engine) as s:
        load_places(s, path, sms=SmsConfig.of(get_settings()))  # what `make run` does at every start
        assert (
            s.execute(select(Permanence.schedule).where(Permanence.slug == "borny-nadia")).scalar_one()
            == "Mo 09:00-10:00"
        )
        assert s.execute(select(Permanence.active).where(Permanence.slug == "desk-only")).scalar_one() is True
        assert s.execute(select(Place)).scalars().all().__len__() == first["places"]  # nothing doubled
    with session_scope(db_engine) as s:
        load_places(s, path, update=True, sms=SmsConfig.of(get_settings()))
        assert (
            s.execute(select(Permanence.schedule).where(Permanence.slug == "borny-nadia")).scalar_one() == file_schedule
        )
        assert s.execute(select(Permanence.active).where(Permanence.slug == "desk-only")).scalar_one() is False
