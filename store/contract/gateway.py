"""The text-message gateways' webhook (contract): its paths, the field names it reads, and the forms of its answer
(`ingest.gateway.api` serves it, `dashboard.openapi` describes it)."""

from __future__ import annotations

GATEWAY_PATH = "/api/v1/gateway"
CHANNEL_PREFIXES = {"sms": "SMS", "whatsapp": "WA"}  # `<GATEWAY_PATH>/<channel>` -> the prefix of its numbers
# Each field under the names the common gateways post it with, the first present wins.
TEXT_FIELDS = ("Body", "text", "message", "content")
ID_FIELDS = ("MessageSid", "messageId", "message_id", "id")
SENDER_FIELDS = ("From", "msisdn", "from", "phone", "sender")
REPLY_FORMS = ("json", "text", "twiml")  # `?reply=`: the answer as JSON (default), plain text, or Twilio's TwiML
