"""Intake from weak connections: citizens' text messages (SMS, WhatsApp) through a gateway's webhook."""
