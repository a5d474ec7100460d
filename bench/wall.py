"""Wall refresh server time: the wall's refresh callback as Dash serves it (`POST /_dash-update-component`
through the real app with access control: the published operations cycle read from Redis, view, render,
serialization), for Sumatera Utara (33 regencies) and a synthetic province of all 514 regencies of Indonesia;
and the live worker's share, timed apart: publishing the cycle once per tick (`store.cycle`).

The request body is captured once per size from the real page loaded in headless Chromium, then replayed
through Flask's test client, signed in with the wall token; between calls a tick's worth of events is applied
and the cycle published, as the live worker does, so each refresh reads a changed state. Like the page, each
call sends back the digests of the answer before (`dashboard.wall_delta`), so unchanged outputs are left out as
they are for a real page.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

import flask

from bench.harness import Figure, Server, main_for, percentile
from bench.rollup import validate_all
from bench.snapshot import REQUESTS, load_state
from bench.web import WALL_TOKEN, chromium, real_app, served
from bench.workload import Workload, national_reference
from dashboard import ids
from dashboard.context import services
from store.cycle import CycleRunner
from store.reference import Reference, load_reference

CALLS = 100
EVENTS_PER_TICK = 250  # a tick at 1,000 events/s: the live worker sends at most 4 ticks per second
TARGETS_MS = {33: 20, 514: 80}  # p95
CALLBACK_PATH = "/_dash-update-component"
REFRESH_OUTPUT = f"{ids.WALL_ASOF_STORE}.data"  # only the refresh callback writes it


def capture_refresh_body(app, timeout: float = 60) -> bytes:
    """The body Chromium posts for the wall's first refresh, recorded by a before_request hook."""
    bodies: list[bytes] = []

    def record() -> None:
        if flask.request.path == CALLBACK_PATH:
            body = flask.request.get_data()
            if REFRESH_OUTPUT in json.loads(body).get("output", ""):
                bodies.append(body)

    app.server.before_request_funcs.setdefault(None, []).insert(0, record)
    try:
        with served(app) as url, chromium() as driver:
            driver.get(f"{url}/?token={WALL_TOKEN}")
            deadline = time.monotonic() + timeout
            while not bodies and time.monotonic() < deadline:
                time.sleep(0.2)
    finally:
        app.server.before_request_funcs[None].remove(record)
    if not bodies:
        raise RuntimeError("the wall did not post its refresh callback")
    return bodies[0]


def with_digests(body: bytes, answer: dict[str, Any]) -> bytes:
    """The request body with the digest store's state set to what `answer` gave the page."""
    request = json.loads(body)
    digests = answer["response"][ids.WALL_DIGEST_STORE]["data"]
    for state in request["state"]:
        if isinstance(state, dict) and state["id"] == ids.WALL_DIGEST_STORE:  # a list: a pattern-matching state
            state["value"] = digests
    return json.dumps(request).encode()


def refresh_times(server: Server, reference: Reference, requests: int) -> tuple[list[float], dict[str, Any]]:
    """Milliseconds per refresh callback over CALLS calls, and the size of its last answer and the
    milliseconds of each cycle published before a call (`"cycle_ms"`)."""
    client = server.client()
    client.flushdb()
    try:
        with real_app(server.url, client, reference) as app:
            load_state(services(app.server).live, reference, requests, datetime.now(UTC))
            body = capture_refresh_body(app)
            live = services(app.server).live
            cycles = CycleRunner(live)
            now = datetime.now(UTC)
            ticks = validate_all(Workload(reference, seed=3).events(CALLS * EVENTS_PER_TICK, now), reference, now)
            wall = app.server.test_client()
            assert wall.get(f"/?token={WALL_TOKEN}").status_code == 302
            times, cycle_times, size = [], [], 0
            for n in range(CALLS + 1):
                # Between refreshes, the live worker's part: a tick's worth of new events, then the cycle.
                live.apply(ticks[n * EVENTS_PER_TICK : (n + 1) * EVENTS_PER_TICK], datetime.now(UTC))
                began = time.perf_counter()
                cycles.publish()
                cycle_times.append(1000 * (time.perf_counter() - began))
                began = time.perf_counter()
                response = wall.post(CALLBACK_PATH, data=body, content_type="application/json")
                times.append(1000 * (time.perf_counter() - began))
                assert response.status_code == 200, response.status_code
                size = len(response.get_data())
                body = with_digests(body, response.get_json())
            return times[1:], {"bytes": size, "cycle_ms": cycle_times[1:]}  # the first call also warms caches
    finally:
        client.flushdb()


def run(server: Server) -> list[Figure]:
    figures = []
    for reference in (load_reference("12"), national_reference()):
        size = len(reference.regencies)
        times, info = refresh_times(server, reference, REQUESTS[size])
        p95 = percentile(times, 95)
        label = f"wall refresh callback {size} regencies"
        figures += [
            Figure(server.label, f"{label} p50", percentile(times, 50), "ms"),
            Figure(server.label, f"{label} p95", p95, "ms", f"< {TARGETS_MS[size]}", p95 < TARGETS_MS[size]),
            Figure(server.label, f"{label} answer size", info["bytes"] / 1024, "KiB"),
            Figure(server.label, "  live worker: cycle published per tick p50", percentile(info["cycle_ms"], 50), "ms"),
            Figure(server.label, "  live worker: cycle published per tick p95", percentile(info["cycle_ms"], 95), "ms"),
        ]
    return figures


if __name__ == "__main__":
    main_for(run)
