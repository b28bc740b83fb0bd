"""The city's staff as the code knows them: the desk's users (conseillers and
coordinateurs), their login attempts and locks, the audit log of what they did,
and the claim rows of the ticket notifications they receive.

Below the desk and the conversations (bot/conversations/ writes the audit log when
a conseiller takes over a conversation), so that neither has to import the other's
application code.
"""
