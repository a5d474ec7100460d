"""Deadline notices and escalation: rules over the open requests, an outbox of deliveries (e-mail, signed
webhooks) sent at least once and recorded exactly once, and acknowledgements that stop the climb."""
