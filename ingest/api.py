"""HTTP intake (contract): `POST /api/v1/events`."""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable
from typing import Any

import redis
from flask import Blueprint, Response, jsonify, request

from store.config import Settings
from store.events import InvalidLine, decode_body, to_record, validate_event
from store.keys import Keys
from store.reference import Reference
from store.streams import append_events, dead_letter

# What `decode_body` should be told for each accepted media type.
MEDIA_TYPES = {
    "application/json": "application/json",
    "application/x-ndjson": "application/x-ndjson",
    "application/jsonl": "application/x-ndjson",
}
RETRY_AFTER_SECONDS = 5


def _error(status: int, message: str, **headers: str) -> Response:
    response = jsonify({"error": message})
    response.status_code = status
    response.headers.update(headers)
    return response


def create_ingest_blueprint(
    settings: Settings, client_factory: Callable[[], redis.Redis], reference: Reference
) -> Blueprint:
    """Blueprint serving `POST /api/v1/events`.

    `client_factory` is called per request; return a shared client so its connection pool is reused.
    """
    blueprint = Blueprint("ingest", __name__)
    keys = Keys(reference.province)

    def source_of(header: str) -> str | None:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None
        supplied = token.strip().encode()
        # Compare against every token so the time taken does not tell which prefix matched.
        found = None
        for known, name in settings.ingest_tokens.items():
            if hmac.compare_digest(supplied, known.encode()):
                found = name
        return found

    @blueprint.post("/api/v1/events")
    def post_events() -> Response | tuple[Response, int]:
        source = source_of(request.headers.get("Authorization", ""))
        if source is None:
            return _error(401, "a valid bearer token is required", **{"WWW-Authenticate": "Bearer"})
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
        answer = {"accepted": len(records), "rejected": [{"index": i, "error": e} for i, _, e in rejected]}
        return jsonify(answer), 202

    return blueprint


def _raw(item: Any) -> str:
    if isinstance(item, InvalidLine):
        return item.raw
    return json.dumps(item, ensure_ascii=False)
