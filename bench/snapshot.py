"""Wall refresh server time: `LiveState.snapshot()` over a realistic live state, for Sumatera Utara
(33 regencies) and a synthetic province of all 514 regencies of Indonesia."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from bench.harness import Figure, Server, main_for, percentile
from bench.pipeline import BATCH
from bench.rollup import validate_all
from bench.workload import Workload, national_reference
from store.contract.reference import Reference, load_reference
from store.live.state import LiveState

CALLS = 100
TARGETS_MS = {33: 20, 514: 80}  # p95
REQUESTS = {33: 20_000, 514: 40_000}


def load_state(live: LiveState, reference: Reference, requests: int, now: datetime) -> None:
    """Apply events leaving `requests` requests open, resolved or rejected today, plus KPI samples."""
    workload = Workload(reference, seed=2)
    events = workload.settled(requests, now)
    events += [workload.kpi(now) for _ in range(20 * len(reference.regencies))]
    records = validate_all(events, reference, now)
    for start in range(0, len(records), BATCH):
        live.apply(records[start : start + BATCH], now)


def snapshot_times(server: Server, reference: Reference, requests: int) -> list[float]:
    """Milliseconds per `snapshot()` call, over CALLS calls."""
    client = server.client()
    client.flushdb()
    live = LiveState(client, reference)
    now = datetime.now(UTC)
    load_state(live, reference, requests, now)
    live.snapshot()  # load the script outside the timing
    times = []
    for _ in range(CALLS):
        began = time.perf_counter()
        live.snapshot()
        times.append(1000 * (time.perf_counter() - began))
    client.flushdb()
    return times


def run(server: Server) -> list[Figure]:
    figures = []
    for reference in (load_reference("12"), national_reference()):
        size = len(reference.regencies)
        times = snapshot_times(server, reference, REQUESTS[size])
        p95 = percentile(times, 95)
        label = f"snapshot {size} regencies, {REQUESTS[size] // 1000}k requests"
        figures += [
            Figure(server.label, f"{label} p50", percentile(times, 50), "ms"),
            Figure(server.label, f"{label} p95", p95, "ms", f"< {TARGETS_MS[size]}", p95 < TARGETS_MS[size]),
        ]
    return figures


if __name__ == "__main__":
    main_for(run)
