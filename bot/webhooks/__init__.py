"""Signed outbound webhooks: the city's systems hear of appointments and tickets.

- `bot/handoff/events.py` writes one `webhook_events` row (the outbox) in the
  same transaction as the lifecycle change it describes (`emit`);
- `bot/webhooks/delivery.py` (the `python -m bot webhooks` job) fans each event
  out to the subscriptions that want it and POSTs it, signed, with retries;
- the desk's **Webhooks** page (coordinateur) manages the subscriptions and
  shows the delivery log.

Payloads carry ids, kinds, times, the place and the thématique: never a name,
a phone number, a note or a message (`bot/webhooks/payload.py`, `ALLOWED_KEYS`).
"""
