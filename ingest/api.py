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
from store.events import InvalidLine, decode_body, to_record, validate_event
from store.gate import BearerGate
from store.keys import Keys
from store.ops import count_ingest
from store.reference import Reference
from store.streams import append_events, dead_letter

# What `decode_body` should be told for each accepted media type.
MEDIA_TYPES = {
    "application/json": "application/json",
    "application/x-ndjson": "application/x-ndjson",
    "application/jsonl": "application/x-ndjson",
}
RETRY_AFTER_SECONDS = 5
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
            return _error(503, "event store unavailable", **{"Retry-After": str(RETRY_AFTER_SECONDS)})
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

        records, rejected = [], []
        for index, item in enumerate(items):
            try:
                if isinstance(item, InvalidLine):
                    raise ValueError(item.error)
                records.append(to_record(validate_event(item, reference)))
            except ValueError as exc:
                rejected.append((index, _raw(item), str(exc)))
        try:
            client = client_factory()
            # Rejections are recorded first: if Redis fails in between, the client retries the whole
            # body and nothing was accepted (a repeated dead-letter entry is harmless).
            for _, raw, error in rejected:
                dead_letter(client, keys, raw, error, source)
            append_events(client, keys, records, settings.stream_maxlen)
        except (redis.ConnectionError, redis.TimeoutError):
            return _error(503, "event store unavailable", **{"Retry-After": str(RETRY_AFTER_SECONDS)})
        try:
            count_ingest(client, keys, source, len(records), datetime.now(UTC))
        except redis.RedisError:  # the events are stored: a missed count only dents the ops page's rate
            log.warning("could not count %d events from %s", len(records), source)
        answer = {"accepted": len(records), "rejected": [{"index": i, "error": e} for i, _, e in rejected]}
        return jsonify(answer), 202

    return blueprint


def _raw(item: Any) -> str:
    if isinstance(item, InvalidLine):
        return item.raw
    return json.dumps(item, ensure_ascii=False)
