"""HTTP intake (contract): `POST /api/v1/events`."""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import redis
from flask import Blueprint, Response, jsonify, request
from sqlalchemy.orm import Session, sessionmaker

from store.access.gate import BearerGate
from store.access.models import Scope, within
from store.contract import clock
from store.contract.events import (
    MAX_ITEMS,
    MAX_REJECTIONS_LISTED,
    InvalidLine,
    ServiceRequestEvent,
    decode_body,
    storable,
    to_record,
    validate_event,
)
from store.contract.keys import Keys
from store.contract.reference import Reference
from store.contract.settings import Settings
from store.contract.tracking import receipt
from store.pipeline.ops import count_ingest, count_refused
from store.pipeline.streams import RAW_LIMIT, StreamFull, append_events, dead_letter_all

# What `decode_body` should be told for each accepted media type.
MEDIA_TYPES = {
    "application/json": "application/json",
    "application/x-ndjson": "application/x-ndjson",
    "application/jsonl": "application/x-ndjson",
}
RETRY_AFTER_SECONDS = 5
UNAVAILABLE = "event store unavailable: send it again after Retry-After (each event_id counts once)"
log = logging.getLogger(__name__)


def error_answer(status: int, message: str, **headers: str) -> Response:
    """A JSON `{"error": message}` answer with `status` and `headers`, as every intake door answers a refusal."""
    response = jsonify({"error": message})
    response.status_code = status
    response.headers.update(headers)
    return response


def create_ingest_blueprint(
    settings: Settings,
    client_factory: Callable[[], redis.Redis],
    references: dict[str, Reference],
    session_factory: sessionmaker[Session],
    gate: BearerGate | None = None,
) -> Blueprint:
    """Blueprint serving `POST /api/v1/events` for the provinces of `references` (code -> reference data).

    Each event goes to the stream of its regency's province; a token sends only for the provinces of its scope.
    Sources present ingest tokens kept hashed in SQL (`store.access.accounts`; INGEST_TOKENS are provisioned there at
    start). `client_factory` is called per request; return a shared client so its connection pool is reused.
    `gate` replaces the default token check (the benchmark measures the path with and without it).
    """
    blueprint = Blueprint("ingest", __name__)
    home = references.get(settings.province) or next(iter(references.values()))
    keys = {code: Keys(code) for code in references}
    gate = gate or BearerGate(session_factory, client_factory, keys[home.province], "ingest")
    tracking_key = settings.tracking_key.get_secret_value() if settings.tracking_key else None
    base = settings.public_base()

    @blueprint.post("/api/v1/events")
    def post_events() -> Response | tuple[Response, int]:
        try:
            verdict = gate.check(request.headers.get("Authorization"), request.remote_addr or "unknown")
        except (redis.ConnectionError, redis.TimeoutError):  # the throttles live in Redis
            return error_answer(503, UNAVAILABLE, **{"Retry-After": str(RETRY_AFTER_SECONDS)})
        if verdict.throttled:
            return error_answer(429, "too many requests", **{"Retry-After": str(max(1, round(verdict.retry_after)))})
        if not verdict.accepted:
            return error_answer(401, "a valid bearer token is required", **{"WWW-Authenticate": "Bearer"})
        source, scope = verdict.token.name, verdict.token.scope
        # Rejections of events of no province the token may send for are kept with its own province's.
        own = home.province if within(scope, home.province) else min(scope or {home.province})
        limit = settings.max_body_bytes
        if request.content_length is not None and request.content_length > limit:
            return error_answer(413, f"body exceeds {limit} bytes")
        decode_as = MEDIA_TYPES.get(request.mimetype)
        if decode_as is None:
            return error_answer(415, f"content type must be one of {', '.join(MEDIA_TYPES)}")
        body = request.stream.read(limit + 1)  # also bounds bodies sent without Content-Length
        if len(body) > limit:
            return error_answer(413, f"body exceeds {limit} bytes")
        try:
            items = decode_body(body, decode_as)
        except ValueError as exc:  # includes JSONDecodeError and UnicodeDecodeError
            return error_answer(400, f"body: not valid JSON ({exc})")
        if len(items) > MAX_ITEMS:
            return error_answer(413, f"body: {len(items)} events, more than {MAX_ITEMS} in one request")

        records: dict[str, list[str]] = defaultdict(list)
        tracked: list[dict[str, Any]] = []  # new requests' tracking numbers and check codes, for their citizens
        rejected: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        for index, item in enumerate(items):
            province = own
            try:
                if isinstance(item, InvalidLine):
                    raise ValueError(item.error)
                province = _province_of(item, references, scope) or own
                event = validate_event(item, references[province])
                records[province].append(to_record(event))
                if tracking_key and isinstance(event, ServiceRequestEvent) and event.status == "received":
                    given = receipt(tracking_key, base, event.regency_code, event.request_id)
                    tracked.append({"index": index, **given})
            except ValueError as exc:
                rejected[province].append((index, _raw(item), storable(str(exc))))
        accepted = sum(map(len, records.values()))
        try:
            client = client_factory()
            # Rejections are recorded first: if Redis fails in between, the client retries the whole
            # body and nothing was accepted (a repeated dead-letter entry is harmless). Each province's events
            # are appended at once; a body split over provinces and cut short between two is sent again whole,
            # and the events already in count once (by `event_id`).
            for province, entries in rejected.items():
                dead_letter_all(client, keys[province], [(raw, error) for _, raw, error in entries], source)
            for province, batch in records.items():
                append_events(client, keys[province], batch, settings.stream_maxlen)
        except StreamFull as full:
            count_refused(client, keys[own], source, accepted, clock.now())
            log.warning("refused %d events from %s: %s", accepted, source, full)
            return error_answer(503, f"{full}; retry later", **{"Retry-After": str(RETRY_AFTER_SECONDS)})
        except (redis.ConnectionError, redis.TimeoutError):
            # If the connection broke after Redis ran the append, the body was kept whole; resending it is safe.
            return error_answer(503, UNAVAILABLE, **{"Retry-After": str(RETRY_AFTER_SECONDS)})
        try:
            for province, batch in records.items():
                count_ingest(client, keys[province], source, len(batch), clock.now())
        except redis.RedisError:  # the events are stored: a missed count only dents the ops page's rate
            log.warning("could not count %d events from %s", accepted, source)
        every = sorted(entry for entries in rejected.values() for entry in entries)
        listed = [{"index": i, "error": e} for i, _, e in every[:MAX_REJECTIONS_LISTED]]
        answer = {"accepted": accepted, "rejected": listed, "rejected_count": len(every), "tracking": tracked}
        return jsonify(answer), 202

    return blueprint


def _province_of(item: Any, references: dict[str, Reference], scope: Scope) -> str | None:
    """The province an event is for, by its `regency_code`; None when it names none (validation says why).
    ValueError, naming the field, when that province is not one the deployment serves or the token's scope."""
    code = item.get("regency_code") if isinstance(item, dict) else None
    if not isinstance(code, str):
        return None
    province = code.strip().partition(".")[0]
    if province not in references:
        raise ValueError(f"regency_code: unknown regency {code!r}: this deployment does not serve its province")
    if not within(scope, province):
        raise ValueError(f"regency_code: {code!r} is in province {province}, which this token may not send for")
    return province


def _raw(item: Any) -> str:
    """The item as it came, to keep with its rejection."""
    if isinstance(item, InvalidLine):
        return item.raw
    try:
        return json.dumps(item, ensure_ascii=False)
    except RecursionError:  # decodable but too deep to encode again: keep its start
        return repr(item)[:RAW_LIMIT]
