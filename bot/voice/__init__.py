"""The phone line: residents call, Twilio listens and speaks French, the assistant answers."""
