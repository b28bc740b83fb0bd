"""The voice tests' own live bot: the real Rasa and action servers, with a place that takes
transferred calls (VOICE_TRANSFER_PLACE) and a short VOICE_MAX_TURNS."""

from __future__ import annotations

import pytest

from bot import migrate
from bot.db import make_engine, session_scope
from bot.places.models import Conseiller, Permanence, Place
from tests.conftest import load_city_places

TRANSFER_PLACE = "ligne-test"
TRANSFER_NUMBER = "+33387000001"
MAX_TURNS = 30


@pytest.fixture(scope="session")
def voice_bot(model_path, tmp_path_factory):
    from tests.support.live_bot import start_live_bot

    folder = tmp_path_factory.mktemp("voice_bot")
    database_url = f"sqlite:///{folder / 'app.db'}"
    migrate.upgrade(database_url)
    load_city_places(database_url)
    engine = make_engine(database_url)
    with session_scope(engine) as session:
        # A place whose phone takes transferred calls, open every hour; its permanence is of a
        # kind the booking never offers, so the other tests' slots are the city's.
        place = Place(
            slug=TRANSFER_PLACE,
            nom="Accueil téléphonique",
            adresse="1 place d'Armes",
            code_postal="57000",
            commune="Metz",
            telephone=TRANSFER_NUMBER,
            voice_transfer=True,
            services=[],
            modalites_acces=[],
            modalites_accompagnement=[],
            aliases=[],
            holidays_country="FR",
            holidays_subdiv="57",
            timezone="Europe/Paris",
        )
        session.add(place)
        session.flush()
        conseiller = session.query(Conseiller).first()
        session.add(
            Permanence(
                slug="ligne-test-accueil",
                place_id=place.id,
                conseiller_id=conseiller.id,
                kind="telephone",
                slot_minutes=30,
                capacity=1,
                schedule="24/7",
            )
        )
    engine.dispose()
    bot = start_live_bot(
        model_path,
        database_url,
        folder / "logs",
        extra_env={
            "VOICE_TRANSFER_PLACE": TRANSFER_PLACE,
            "VOICE_MAX_TURNS": str(MAX_TURNS),
        },
    )
    yield bot
    bot.stop()
