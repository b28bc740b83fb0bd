"""The Coop de la médiation numérique's activity-report (CRA) fields, with
their values in code and their French labels for the desk and the CSV."""
from __future__ import annotations

from bot.classification import THEMATIQUES
from bot.tickets.models import TicketStatus

AUTONOMIES = {
    "entierement_accompagne": "Entièrement accompagné",
    "partiellement_autonome": "Partiellement autonome",
    "autonome": "Autonome",
}
MATERIELS = {
    "ordinateur": "Ordinateur",
    "telephone": "Téléphone",
    "tablette": "Tablette",
    "autre": "Autre matériel",
    "aucun": "Pas de matériel",
}
ORIENTATIONS = {
    "": "Pas d'orientation",
    "france_services": "France Services",
    "aidants_connect": "Aidants Connect",
    "partenaire_materiel": "Partenaire matériel (reconditionnement)",
    "autre_structure": "Autre structure",
}
TYPES = {"individuel": "Accompagnement individuel", "collectif": "Atelier collectif"}
STATUS_LABELS = {
    TicketStatus.NOUVEAU: "Nouveau",
    TicketStatus.CONFIRME: "Confirmé",
    TicketStatus.CLOS: "Clos",
}
MAX_DURATION_MINUTES = 600

# Columns of the CSV export, in the order of the Coop's activity report.
CSV_COLUMNS = (
    "date", "type", "lieu", "code_postal", "commune", "duree_minutes", "thematiques",
    "materiel", "autonomie", "orientation", "structure_redirection", "conseiller", "ticket",
)


class OutcomeError(ValueError):
    """The outcome form holds a value the Coop does not know (French message for the desk)."""


def thematique_label(code: str | None) -> str:
    return THEMATIQUES.get(code or "", code or "—")


def clean_outcome(form: dict, thematiques: list[str], materiels: list[str]) -> dict:
    """Check the outcome fields against the Coop values; a dict ready for the ticket."""
    try:
        duree = int(str(form.get("duree", "")).strip())
    except ValueError:
        raise OutcomeError("La durée doit être un nombre de minutes.") from None
    if not 1 <= duree <= MAX_DURATION_MINUTES:
        raise OutcomeError("La durée doit être entre 1 et 600 minutes.")
    autonomie = form.get("autonomie", "")
    if autonomie not in AUTONOMIES:
        raise OutcomeError("Choisissez le niveau d'autonomie.")
    if not thematiques or any(t not in THEMATIQUES for t in thematiques):
        raise OutcomeError("Choisissez au moins une thématique.")
    if not materiels or any(m not in MATERIELS for m in materiels):
        raise OutcomeError("Choisissez le matériel utilisé (ou « Pas de matériel »).")
    orientation = form.get("orientation", "")
    if orientation not in ORIENTATIONS:
        raise OutcomeError("Cette orientation n'existe pas.")
    structure = (form.get("structure_redirection") or "").strip()[:200]
    return {
        "duree": duree, "autonomie": autonomie, "thematiques": list(dict.fromkeys(thematiques)),
        "materiel": list(dict.fromkeys(materiels)), "orientation": orientation or None,
        "structure_redirection": structure or None,
    }
