"""Slots computed from permanences, and atomic booking of appointments."""
