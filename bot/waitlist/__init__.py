"""The waitlist: residents who want an earlier slot, offered freed seats by SMS (see models.py)."""
