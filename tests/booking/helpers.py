"""Small builders for booking tests: a place with one permanence, a resident."""

from __future__ import annotations

from bot.booking.slots import BookingWindow
from bot.places.models import Conseiller, Permanence, Place
from bot.residents import resident_for_phone
from bot.settings import ROOT
from tests.support.live_bot import TEST_SECRETS

HASH_KEY = TEST_SECRETS["HASH_KEY"]

# The booking window of the settings' defaults (BOOKING_MIN_NOTICE_HOURS=2, BOOKING_HORIZON_DAYS=28,
# TIMEZONE=Europe/Paris), as an entry point would pass it.
WINDOW = BookingWindow(min_notice_hours=2, horizon_days=28, timezone="Europe/Paris")
# The city's route rules (ROUTES_FILE), as an entry point passes them.
ROUTES = ROOT / "data" / "routes" / "metz.yml"


def make_place(
    session,
    *,
    schedule="Tu 14:00-17:00",
    capacity=1,
    slot_minutes=60,
    kind="individuel",
    slug="test",
    thematiques=None,
    aliases=("borny", "57070"),
):
    conseiller = Conseiller(slug=f"c-{slug}", name="Camille")
    place = Place(
        slug=slug,
        nom=f"Mairie de quartier {slug}",
        adresse="1 rue de Test",
        code_postal="57070",
        commune="Metz",
        services=[],
        modalites_acces=[],
        modalites_accompagnement=[],
        aliases=list(aliases),
        holidays_country="FR",
        holidays_subdiv="57",
        timezone="Europe/Paris",
    )
    session.add_all([conseiller, place])
    session.flush()
    permanence = Permanence(
        slug=f"p-{slug}",
        place_id=place.id,
        conseiller_id=conseiller.id,
        kind=kind,
        thematiques=thematiques,
        slot_minutes=slot_minutes,
        capacity=capacity,
        schedule=schedule,
    )
    session.add(permanence)
    session.flush()
    return place, permanence


def make_resident(session, number="+33612345678"):
    return resident_for_phone(session, number, HASH_KEY)
