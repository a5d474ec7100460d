"""Text-message intake (contract): `POST /api/v1/gateway/sms` and `/api/v1/gateway/whatsapp`, the webhook an SMS
or WhatsApp gateway calls for each message a citizen sends to the command centre's number.

- **Who:** the gateway presents an ingest token, as `Authorization: Bearer <token>` or, for gateways that only let
  one set a URL, `?token=<token>`. The token's provinces are those whose regencies a message may name.
- **What:** a form post (`application/x-www-form-urlencoded`) or JSON, with the message's text and the gateway's
  id of it under the names the common gateways use: text in `Body`, `text`, `message` or `content`; id in
  `MessageSid`, `messageId`, `message_id` or `id`; the sender in `From`, `msisdn`, `from`, `phone` or `sender`.
- **The message:** `LAPOR <KEYWORD> <REGENCY> <what happened>` (`ingest.gateway.messages`); `INFO` lists keywords.
- **The answer:** 200 for every message read, reported or not, so the gateway does not send it again; the text to
  send back to the citizen is `reply`, in JSON by default, `?reply=text` as plain text, `?reply=twiml` as TwiML.
  A report's reply holds its tracking number, check code and the tracking page.
- **Once:** a message becomes one `received` event whose event_id and request number come from the gateway's id
  of it (or, without one, from its sender and text): a gateway's re-send counts once and gets the same number.
- **Nothing personal kept:** the sender's number is only hashed into that id. The text is the request's title,
  which the public pages show only screened.

Refused messages go to the dead letters with the field and why, as other intake does. 401 without a valid token,
429 when throttled, 503 (`Retry-After`) while the event store is unavailable: the gateway retries those.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from typing import Any
from xml.sax.saxutils import escape

import redis
from flask import Blueprint, Response, jsonify, request
from sqlalchemy.orm import Session, sessionmaker

from ingest.api import RETRY_AFTER_SECONDS, UNAVAILABLE, error_answer
from ingest.gateway.messages import REPLIES, Refusal, read_message, refusal
from store.access.gate import BearerGate, bearer_token
from store.access.models import within
from store.contract import clock
from store.contract.events import decode_body, to_record, validate_event
from store.contract.gateway import (
    CHANNEL_PREFIXES,
    GATEWAY_PATH,
    ID_FIELDS,
    REPLY_FORMS,
    SENDER_FIELDS,
    TEXT_FIELDS,
)
from store.contract.keys import Keys
from store.contract.reference import Reference, opd_name
from store.contract.settings import Settings
from store.contract.tracking import TRACKING_PATH, receipt, tracking_number
from store.pipeline.ops import count_ingest
from store.pipeline.streams import StreamFull, append_events, dead_letter_all

# A request's number is digits, easy to type on any phone: 15 of them, so that two messages of one regency share
# one about once in 2,000 regencies with a million messages each.
NUMBER_DIGITS = 15
MAX_TEXT = 1600  # characters read of a message (ten concatenated SMS)
TITLE_LENGTH = 200  # our events' title
# Why a message was refused, for the operators' dead letters (the citizen's reply says it in Indonesian).
REASONS = {
    "format": "not a report: send LAPOR <keyword> <regency> <text>",
    "category": "unknown keyword",
    "regency": "names no regency this number serves",
    "ambiguous": "names both a kabupaten and a kota: KAB or KOTA needed",
    "text": "the report's text is too short",
}
log = logging.getLogger(__name__)


def create_gateway_blueprint(
    settings: Settings,
    client_factory: Callable[[], redis.Redis],
    references: dict[str, Reference],
    session_factory: sessionmaker[Session],
) -> Blueprint:
    """The text-message webhooks for the provinces of `references`."""
    blueprint = Blueprint("gateway", __name__)
    keys = {code: Keys(code) for code in references}
    home = settings.province if settings.province in references else next(iter(references))
    gate = BearerGate(session_factory, client_factory, keys[home], "ingest")
    tracking_key = settings.tracking_key.get_secret_value() if settings.tracking_key else None
    base = settings.public_base()

    @blueprint.post(f"{GATEWAY_PATH}/<channel>")
    def message(channel: str) -> Response | tuple[Response, int]:
        if channel not in CHANNEL_PREFIXES:
            return error_answer(404, f"channel {channel[:20]!r}: one of {', '.join(CHANNEL_PREFIXES)}")
        form = request.args.get("reply", REPLY_FORMS[0])
        if form not in REPLY_FORMS:
            return error_answer(400, f"reply: one of {', '.join(REPLY_FORMS)}")
        presented = bearer_token(request.headers.get("Authorization")) or request.args.get("token", "")
        try:
            verdict = gate.check(f"Bearer {presented}", request.remote_addr or "unknown")
        except (redis.ConnectionError, redis.TimeoutError):
            return error_answer(503, UNAVAILABLE, **{"Retry-After": str(RETRY_AFTER_SECONDS)})
        if verdict.throttled:
            return error_answer(429, "too many requests", **{"Retry-After": str(max(1, round(verdict.retry_after)))})
        if verdict.token is None:
            return error_answer(401, "a valid ingest token is required (Authorization: Bearer, or ?token=)")
        source, scope = verdict.token.name, verdict.token.scope
        served = [reference for code, reference in references.items() if within(scope, code)]
        if not served:
            return error_answer(403, "this token may send for none of the provinces served here")
        try:
            fields = _fields()
        except ValueError as exc:  # includes JSONDecodeError and UnicodeDecodeError
            return error_answer(400, f"body: not a JSON object or a form ({exc})")
        if not any(name in fields for name in TEXT_FIELDS):  # a gateway set up wrong, not a citizen's empty message
            return error_answer(400, f"text: missing (send it as one of {', '.join(TEXT_FIELDS)})")
        text = _first(fields, TEXT_FIELDS)[:MAX_TEXT]
        gateway_id = _first(fields, ID_FIELDS) or _first(fields, SENDER_FIELDS) + "\x00" + text
        read = read_message(text, served)
        client = client_factory()
        try:
            if isinstance(read, Refusal):
                if read.reason in REASONS:
                    kept = json.dumps({"text": text, "message_id": _first(fields, ID_FIELDS)}, ensure_ascii=False)
                    dead_letter_all(client, keys[served[0].province], [(kept, f"text: {REASONS[read.reason]}")], source)
                return _answer(form, read.reply, accepted=False)
            digest = hashlib.sha256(f"{source}\x00{gateway_id}".encode()).digest()
            serial = int.from_bytes(digest[:8]) % 10**NUMBER_DIGITS
            request_id = f"{CHANNEL_PREFIXES[channel]}-{serial:0{NUMBER_DIGITS}d}"
            regency, now = read.regency.code, clock.now()
            province = regency.partition(".")[0]
            event = {
                "event_id": f"{channel}-{digest.hex()}",
                "type": "service_request",
                "request_id": request_id,
                "regency_code": regency,
                "status": "received",
                "category": read.category.key,
                "channel": channel,
                "opd": opd_name(read.category.opd, read.regency),
                "ts": now.isoformat(),
                "title": " ".join(read.text.split())[:TITLE_LENGTH],
            }
            try:
                record = to_record(validate_event(event, references[province], now))
            except ValueError as exc:  # the same check as every other door's: kept for the operators, with why
                kept = json.dumps({"text": text, "message_id": _first(fields, ID_FIELDS)}, ensure_ascii=False)
                dead_letter_all(client, keys[province], [(kept, str(exc))], source)
                return _answer(form, refusal("format", served).reply, accepted=False)
            append_events(client, keys[province], [record], settings.stream_maxlen)
            count_ingest(client, keys[province], source, 1, now)
        except StreamFull as full:
            log.warning("refused a text message from %s: %s", source, full)
            return error_answer(503, f"{full}; retry later", **{"Retry-After": str(RETRY_AFTER_SECONDS)})
        except (redis.ConnectionError, redis.TimeoutError):
            return error_answer(503, UNAVAILABLE, **{"Retry-After": str(RETRY_AFTER_SECONDS)})
        given = receipt(tracking_key, base, regency, request_id) if tracking_key else None
        values = {"opd": event["opd"], "days": read.category.deadline_working_days}
        if given:
            page = base + TRACKING_PATH
            reply = REPLIES["accepted"].format(number=given["number"], code=given["code"], url=page, **values)
        else:
            reply = REPLIES["accepted_untracked"].format(number=tracking_number(regency, request_id), **values)
        return _answer(form, reply, accepted=True, tracking=given)

    return blueprint


def _fields() -> Mapping[str, Any]:
    """The message's fields: the form, or a JSON object (ValueError when the body is neither)."""
    if not request.is_json:
        return request.form
    items = decode_body(request.get_data(), "application/json")
    if len(items) != 1 or not isinstance(items[0], dict):
        raise ValueError("a JSON body must be one object")
    return items[0]


def _first(fields: Mapping[str, Any], names: tuple[str, ...]) -> str:
    for name in names:
        value = fields.get(name)
        if isinstance(value, str | int) and str(value).strip():
            return str(value).strip()
    return ""


def _answer(form: str, reply: str, accepted: bool, tracking: dict[str, str] | None = None) -> Response:
    if form == "text":
        return Response(reply, mimetype="text/plain")
    if form == "twiml":
        twiml = f'<?xml version="1.0" encoding="UTF-8"?><Response><Message>{escape(reply)}</Message></Response>'
        return Response(twiml, mimetype="application/xml")
    return jsonify({"reply": reply, "accepted": accepted, "tracking": tracking})
