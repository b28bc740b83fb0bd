"""The desk's outcome form, checked against the Coop's values (bot/coop.py), and the
ticket workflow's French labels."""

from __future__ import annotations

from bot.coop import (
    AUTONOMIE_LABELS,
    EXPORT_COLUMNS,
    MATERIEL_LABELS,
    STRUCTURE_DE_REDIRECTION_LABELS,
    THEMATIQUES,
    TYPE_ACTIVITE_LABELS,
    TYPE_LIEU_LABELS,
    Autonomie,
    Materiel,
    StructureDeRedirection,
    Thematique,
    thematique_label,
)
from bot.tickets.models import TicketStatus

# What the outcome form offers (code -> French label), in the Coop's order.
AUTONOMIES = AUTONOMIE_LABELS
MATERIELS = MATERIEL_LABELS
ORIENTATIONS = {"": "Pas d'orientation", **STRUCTURE_DE_REDIRECTION_LABELS}
TYPES = TYPE_ACTIVITE_LABELS
TYPES_LIEU = TYPE_LIEU_LABELS
STATUS_LABELS = {
    TicketStatus.NOUVEAU: "Nouveau",
    TicketStatus.CONFIRME: "Confirmé",
    TicketStatus.CLOS: "Clos",
}
MAX_DURATION_MINUTES = 600
# The CSV export's columns: the Coop's export's, in its order.
CSV_COLUMNS = EXPORT_COLUMNS

__all__ = [
    "CSV_COLUMNS",
    "AUTONOMIES",
    "MATERIELS",
    "ORIENTATIONS",
    "STATUS_LABELS",
    "THEMATIQUES",
    "TYPES",
    "TYPES_LIEU",
    "OutcomeError",
    "clean_outcome",
    "thematique_label",
]


class OutcomeError(ValueError):
    """The outcome form holds a value the Coop does not know (French message for the desk)."""


def clean_outcome(form: dict, thematiques: list[str], materiels: list[str]) -> dict:
    """Check the outcome fields against the Coop values; a dict ready for the ticket."""
    try:
        duree = int(str(form.get("duree", "")).strip())
    except ValueError:
        raise OutcomeError("La durée doit être un nombre de minutes.") from None
    if not 1 <= duree <= MAX_DURATION_MINUTES:
        raise OutcomeError("La durée doit être entre 1 et 600 minutes.")
    autonomie = form.get("autonomie", "")
    if autonomie not in Autonomie.values():
        raise OutcomeError("Choisissez le niveau d'autonomie.")
    if not thematiques or any(t not in Thematique.values() for t in thematiques):
        raise OutcomeError("Choisissez au moins une thématique.")
    if not materiels or any(m not in Materiel.values() for m in materiels):
        raise OutcomeError("Choisissez le matériel utilisé (ou « Pas de matériel »).")
    orientation = form.get("orientation", "")
    if orientation and orientation not in StructureDeRedirection.values():
        raise OutcomeError("Cette orientation n'existe pas.")
    structure = (form.get("structure_redirection") or "").strip()[:200]
    return {
        "duree": duree,
        "autonomie": Autonomie(autonomie),
        "thematiques": [Thematique(t) for t in dict.fromkeys(thematiques)],
        "materiel": [Materiel(m) for m in dict.fromkeys(materiels)],
        "orientation": StructureDeRedirection(orientation) if orientation else None,
        "oriente": bool(orientation),
        "structure_redirection": structure or None,
    }
