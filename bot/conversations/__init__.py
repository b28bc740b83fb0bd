"""Conversations a conseiller takes over from the assistant (see bot/conversations/hold.py)."""
