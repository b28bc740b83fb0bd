"""The answers to "où est la permanence ?" / "vous êtes ouverts quand ?" (bot/answers/places.py).

bot/answers/places.py reads the places, their hours and closures from the
database and chooses what fits in 3 SMS segments; the sentences are here.
`place` is a bot.places.models.Place (nom, adresse, code_postal, commune);
hours come already written in French (bot/places/hours_text.py).
"""

from __future__ import annotations

from bot.texts import _samples as sample


def next_step_text() -> str:
    return "Écrivez RDV pour prendre rendez-vous."


def address_text(place) -> str:
    return f"{place.nom} : {place.adresse}, {place.code_postal} {place.commune}."


def closed_place_text(place, reason: str | None) -> str:
    reason = f" ({reason})" if reason else ""
    return f"{address_text(place)} Fermé en ce moment{reason}."


def open_place_text(place, hours: str | None, conseiller_hours: str | None) -> str:
    parts = [address_text(place)]
    if hours:
        parts.append(f"Ouvert {hours}.")
    if conseiller_hours:
        parts.append(f"Conseiller numérique : {conseiller_hours}.")
    return " ".join(parts)


def one_place_text(place_text: str, also_near: list[str] | None = None) -> str:
    """One place (closed_place_text / open_place_text), and the names of other places near it."""
    if also_near:
        return f"{place_text} Aussi près de chez vous : {', '.join(also_near)}. {next_step_text()}"
    return f"{place_text} {next_step_text()}"


def all_places_text(names: list[str], more: bool) -> str:
    """The places listed briefly; `more` when some were left out to keep the SMS short."""
    listed = ", ".join(names) + (" et d'autres lieux" if more else "")
    return (
        f"Les conseillers numériques vous reçoivent : {listed}. "
        f"Dites-moi votre quartier pour l'adresse et les horaires. {next_step_text()}"
    )


EXAMPLES = {
    "one_place": lambda: one_place_text(
        open_place_text(sample.PLACE, "lun-ven 8h30-12h, 13h30-17h", "mar 14h-17h ; jeu 9h-12h"),
        ["Médiathèque Verlaine (Pontiffroy)", "Mairie de quartier de Bellecroix"],
    ),
    "closed_place": lambda: one_place_text(closed_place_text(sample.PLACE, "travaux jusqu'au 15 janvier")),
    "all_places": lambda: all_places_text(
        [
            "Mairie de quartier de Borny",
            "Mairie de quartier de La Patrotte",
            "Médiathèque Verlaine (Pontiffroy)",
            "CCAS de Metz",
        ],
        True,
    ),
}
