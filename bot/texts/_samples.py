"""Sample arguments for the catalogue's EXAMPLES: the defaults of the settings and Metz's longest place.

Long on purpose (the SMS segment bench measures the worst usual case): the longest
place of data/places/metz.yml, a long French date, a long first name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

SERVICE_NAME = "Aide numérique de Metz"
CITY_NAME = "Ville de Metz"
CITY_PHONE = "03 87 55 50 00"
PRIVACY_URL = "https://metz.fr/aide-numerique/donnees-personnelles"
RETENTION_DAYS = 90
# A long French date: "mercredi 30 septembre à 14 h 30".
START = datetime(2026, 9, 30, 12, 30, tzinfo=timezone.utc)
FIRST_NAME = "Marie-Christine"


@dataclass(frozen=True)
class Place:
    """What the texts read of a place (bot.places.models.Place has these fields)."""

    nom: str = "Mairie de quartier de Borny"
    adresse: str = "Pôle des Lauriers, 3 bis rue d'Anjou"
    code_postal: str = "57070"
    commune: str = "Metz"
    timezone: str = "Europe/Paris"
    telephone: str | None = None
    closed_reason: str | None = None


@dataclass(frozen=True)
class Permanence:
    """What the texts read of a permanence (bot.places.models.Permanence)."""

    kind: str = "individuel"
    title: str | None = None
    slot_minutes: int = 45


@dataclass(frozen=True)
class Slot:
    start: datetime = START


PLACE = Place()
WORKSHOP = Permanence(kind="atelier", title="Atelier : bien utiliser son smartphone", slot_minutes=90)
# Numbers as the phone line says them (bot.voice.spoken.spoken_phone).
CITY_PHONE_SAID = "zéro trois, quatre-vingt-sept, cinquante-cinq, cinquante, zéro zéro"
MOBILE_SAID = "zéro six, douze, trente-quatre, cinquante-six, soixante-dix-huit"
