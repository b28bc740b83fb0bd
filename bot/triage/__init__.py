"""Triage: what the person needs, asked one short question at a time, by SMS or web."""
