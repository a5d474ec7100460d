"""Read-only JSON endpoints: the snapshot the wall renders from, the health of the pipeline, and the API's
OpenAPI description."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import flask
import redis

from dashboard.i18n import LANGS
from dashboard.openapi import openapi_document
from dashboard.push import starting_push
from dashboard.services import services
from store.contract import clock
from store.contract.keys import LIVE_GROUP, Keys
from store.contract.provinces import NATIONAL
from store.contract.rooms import province_room, regency_room
from store.live.cycle import NoCycleYet, published_cycle
from store.pipeline.lag import archive_lag
from store.pipeline.ops import refused_recently

api = flask.Blueprint("dashboard_api", __name__)
HEARTBEAT_MAX_AGE_S = 30


@api.get("/api/v1/snapshot")
def snapshot() -> tuple[flask.Response, int] | flask.Response:
    """The province's snapshot; under `/nasional/`, the nation's, as the national worker last published it."""
    live = services().live
    if live.reference.province != NATIONAL:
        return flask.jsonify(live.snapshot())
    try:
        return flask.jsonify(published_cycle(live.redis, live.keys).snapshot)
    except NoCycleYet:
        return flask.jsonify({"error": "the national worker has published nothing yet"}), 503


@api.get("/api/v1/snapshot/<code>")
def regency_snapshot(code: str) -> tuple[flask.Response, int] | flask.Response:
    live = services().live
    if code not in live.reference.regencies:
        return flask.jsonify({"error": f"unknown regency {code!r}"}), 404
    return flask.jsonify(live.regency_snapshot(code))


@api.get("/api/v1/view/province:<lang>", defaults={"code": None})
@api.get("/api/v1/view/regency:<code>:<lang>")
def view(code: str | None, lang: str) -> flask.Response | tuple[flask.Response, int]:
    """A room's whole view-model, for a screen that missed a push (`assets/push.js`); the access rules let only
    those who may see the room's page ask."""
    live = services().live
    if lang not in LANGS:
        return flask.jsonify({"error": f"unknown language {lang[:20]!r}: one of {', '.join(LANGS)}"}), 404
    if code is not None and code not in live.reference.regencies:
        return flask.jsonify({"error": f"unknown regency {code[:20]!r}"}), 404
    room = province_room(lang) if code is None else regency_room(code, lang)
    whole = starting_push(live, room)
    if whole is None:  # not rendered yet (the room has just been opened): its first push is on its way
        return flask.Response(status=204)
    return flask.jsonify(whole)


@api.get("/api/v1/openapi.json")
def openapi() -> flask.Response:
    return flask.jsonify(openapi_document(services().live.reference))


@api.get("/healthz")
def healthz() -> tuple[flask.Response, int]:
    svc = services()
    report = health(svc.live.redis, svc.live.keys, svc.settings.stream_maxlen)
    return flask.jsonify(report), 200 if report["ok"] else 503


def health(client: redis.Redis, keys: Keys, cap: int, now: float | None = None) -> dict[str, Any]:
    """Redis reachability, worker heartbeats with their age, the event stream's length against its cap (`full`
    when the door refuses events) with the events refused over the last 5 minutes, the live lag, and how far the
    archive worker is behind (`store.pipeline.lag.archive_lag`). Not ok when a worker is silent or the stream is
    full."""
    now = clock.timestamp() if now is None else now
    try:
        client.ping()
    except redis.RedisError as exc:
        return {"ok": False, "redis": {"ok": False, "error": str(exc)}, "workers": {}, "stream": None, "archive": None}
    workers = {name: round(now - float(beat), 1) for name, beat in client.hgetall(keys.heartbeats).items()}
    length = client.xlen(keys.events)
    refused = refused_recently(client, keys, datetime.fromtimestamp(now, UTC))
    stream: dict[str, Any] = {
        "length": length,
        "cap": cap,
        "full": length >= cap,
        "refused_5min": refused,
        "live": None,
    }
    try:
        groups = client.xinfo_groups(keys.events)
    except redis.ResponseError:  # no stream yet
        groups = []
    for group in groups:
        name = group["name"]
        if name == LIVE_GROUP:
            # "lag" needs Redis 7; the embedded 6.2 reports only what is pending.
            stream["live"] = {"pending": group["pending"], "lag": group.get("lag")}
    workers_ok = all(age <= HEARTBEAT_MAX_AGE_S for age in workers.values())
    return {
        "ok": workers_ok and not stream["full"],
        "redis": {"ok": True},
        "workers": {name: {"age_s": age, "ok": age <= HEARTBEAT_MAX_AGE_S} for name, age in workers.items()},
        "stream": stream,
        "archive": archive_lag(client, keys, now),
    }
