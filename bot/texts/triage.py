"""What the triage form (actions/triage.py) says when an answer cannot be read (its questions are the domain's)."""

from __future__ import annotations


def first_name_only_text() -> str:
    return "Écrivez seulement votre prénom, ou PASSER."


def bad_phone_text() -> str:
    return "Ce numéro ne semble pas correct. Écrivez-le comme 06 12 34 56 78, ou PASSER."


EXAMPLES = {"first_name_only": first_name_only_text, "bad_phone": bad_phone_text}
