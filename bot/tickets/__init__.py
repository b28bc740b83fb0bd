"""Handoff tickets: what the conseiller receives, with their history."""
