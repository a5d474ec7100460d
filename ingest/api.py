"""HTTP intake (contract): `POST /api/v1/events`."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import redis
from flask import Blueprint, Response, jsonify, request
from sqlalchemy.orm import Session, sessionmaker

from store.config import Settings
from store.events import InvalidLine, decode_body, storable, to_record, validate_event
from store.gate import BearerGate
from store.keys import Keys
from store.ops import count_ingest, count_refused
from store.reference import Reference
from store.streams import RAW_LIMIT, StreamFull, append_events, dead_letter_all

# What `decode_body` should be told for each accepted media type.
MEDIA_TYPES = {
    "application/json": "application/json",
    "application/x-ndjson": "application/x-ndjson",
    "application/jsonl": "application/x-ndjson",
}
RETRY_AFTER_SECONDS = 5
UNAVAILABLE = "event store unavailable: send it again after Retry-After (each event_id counts once)"
MAX_ITEMS = 10_000  # events in one request; more get 413
MAX_REJECTIONS_LISTED = 1_000  # rejections named in one answer; `rejected_count` has them all
log = logging.getLogger(__name__)


def _error(status: int, message: str, **headers: str) -> Response:
    response = jsonify({"error": message})
    response.status_code = status
    response.headers.update(headers)
    return response


def create_ingest_blueprint(
    settings: Settings,
    client_factory: Callable[[], redis.Redis],
    reference: Reference,
    session_factory: sessionmaker[Session],
    gate: BearerGate | None = None,
) -> Blueprint:
    """Blueprint serving `POST /api/v1/events`.

    Sources present ingest tokens kept hashed in SQL (`store.auth`; INGEST_TOKENS are provisioned there at
    start). `client_factory` is called per request; return a shared client so its connection pool is reused.
    `gate` replaces the default token check (the benchmark measures the path with and without it).
    """
    blueprint = Blueprint("ingest", __name__)
    keys = Keys(reference.province)
    gate = gate or BearerGate(session_factory, client_factory, keys, "ingest")

    @blueprint.post("/api/v1/events")
    def post_events() -> Response | tuple[Response, int]:
        try:
            verdict = gate.check(request.headers.get("Authorization"), request.remote_addr or "unknown")
        except (redis.ConnectionError, redis.TimeoutError):  # the throttles live in Redis
            return _error(503, UNAVAILABLE, **{"Retry-After": str(RETRY_AFTER_SECONDS)})
        if verdict.status == 429:
            return _error(429, "too many requests", **{"Retry-After": str(max(1, round(verdict.retry_after)))})
        if not verdict.accepted:
            return _error(401, "a valid bearer token is required", **{"WWW-Authenticate": "Bearer"})
        source = verdict.token.name
        limit = settings.max_body_bytes
        if request.content_length is not None and request.content_length > limit:
            return _error(413, f"body exceeds {limit} bytes")
        decode_as = MEDIA_TYPES.get(request.mimetype)
        if decode_as is None:
            return _error(415, f"content type must be one of {', '.join(MEDIA_TYPES)}")
        body = request.stream.read(limit + 1)  # also bounds bodies sent without Content-Length
        if len(body) > limit:
            return _error(413, f"body exceeds {limit} bytes")
        try:
            items = decode_body(body, decode_as)
        except ValueError as exc:  # includes JSONDecodeError and UnicodeDecodeError
            return _error(400, f"body: not valid JSON ({exc})")
        if len(items) > MAX_ITEMS:
            return _error(413, f"body: {len(items)} events, more than {MAX_ITEMS} in one request")

        records, rejected = [], []
        for index, item in enumerate(items):
            try:
                if isinstance(item, InvalidLine):
                    raise ValueError(item.error)
                records.append(to_record(validate_event(item, reference)))
            except ValueError as exc:
                rejected.append((index, _raw(item), storable(str(exc))))
        try:
            client = client_factory()
            # Rejections are recorded first: if Redis fails in between, the client retries the whole
            # body and nothing was accepted (a repeated dead-letter entry is harmless).
            dead_letter_all(client, keys, [(raw, error) for _, raw, error in rejected], source)
            append_events(client, keys, records, settings.stream_maxlen)
        except StreamFull as full:
            count_refused(client, keys, source, len(records), datetime.now(UTC))
            log.warning("refused %d events from %s: %s", len(records), source, full)
            return _error(503, f"{full}; retry later", **{"Retry-After": str(RETRY_AFTER_SECONDS)})
        except (redis.ConnectionError, redis.TimeoutError):
            # If the connection broke after Redis ran the append, the body was kept whole; resending it is safe.
            return _error(503, UNAVAILABLE, **{"Retry-After": str(RETRY_AFTER_SECONDS)})
        try:
            count_ingest(client, keys, source, len(records), datetime.now(UTC))
        except redis.RedisError:  # the events are stored: a missed count only dents the ops page's rate
            log.warning("could not count %d events from %s", len(records), source)
        listed = [{"index": i, "error": e} for i, _, e in rejected[:MAX_REJECTIONS_LISTED]]
        answer = {"accepted": len(records), "rejected": listed, "rejected_count": len(rejected)}
        return jsonify(answer), 202

    return blueprint


def _raw(item: Any) -> str:
    """The item as it came, to keep with its rejection."""
    if isinstance(item, InvalidLine):
        return item.raw
    try:
        return json.dumps(item, ensure_ascii=False)
    except RecursionError:  # decodable but too deep to encode again: keep its start
        return repr(item)[:RAW_LIMIT]
