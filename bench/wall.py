"""The live worker's push per tick: rendering the wall's view-model once per room and sending what changed
(`workers.screens.ScreenBroadcaster.push`, to the rooms "province:id" and "province:en"), against publishing
the operations cycle it is made from (`store.live.cycle`, the baseline of the same run), for Sumatera Utara (33
regencies) and a synthetic province of all 514 regencies of Indonesia. Between ticks, a tick's worth of events
is applied (1,000 events/s at the live worker's 10 ticks a second), so each push carries a real patch, and the
cycle reads again what they touched and evaluates feed health and alerts every 2 seconds, as the live worker does.
The sizes are those of the whole model a screen opens with and of the mean patch.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import orjson

from bench.harness import Figure, Server, main_for, percentile
from bench.rollup import validate_all
from bench.snapshot import REQUESTS, load_state
from bench.workload import Workload, national_reference
from store.contract.reference import Reference, load_reference
from store.contract.rooms import VIEW_EVENT
from store.live.cycle import CycleRunner
from store.live.state import LiveState
from workers.live import OPERATIONS_SECONDS, TICKS_PER_SECOND
from workers.screens import ScreenBroadcaster

TICKS = 60
RATE = 1_000  # events/s
EVENTS_PER_TICK = round(RATE / TICKS_PER_SECOND)
OPERATIONS_EVERY = round(OPERATIONS_SECONDS * TICKS_PER_SECOND)  # ticks
ROOMS = ("province:id", "province:en")


def push_times(server: Server, reference: Reference) -> dict[str, list[float]]:
    client = server.client()
    client.flushdb()
    sent: list[dict] = []
    try:
        live = LiveState(client, reference)
        now = datetime.now(UTC)
        load_state(live, reference, REQUESTS[len(reference.regencies)], now)
        cycles = CycleRunner(live)
        screens = ScreenBroadcaster(
            client, reference, lambda event, payload, room: event == VIEW_EVENT and sent.append(payload)
        )
        ticks = validate_all(Workload(reference, seed=3).events(TICKS * EVENTS_PER_TICK, now), reference, now)
        out: dict[str, list[float]] = {"cycle": [], "push": [], "whole": [], "patch": []}
        for n in range(TICKS + 1):
            _, touched = live.apply_noting(ticks[n * EVENTS_PER_TICK : (n + 1) * EVENTS_PER_TICK], datetime.now(UTC))
            began = time.perf_counter()
            cycle = cycles.publish(operations=n % OPERATIONS_EVERY == 0, touched=touched)
            out["cycle"].append(1000 * (time.perf_counter() - began))
            began = time.perf_counter()
            screens.push(cycle, ROOMS)
            out["push"].append(1000 * (time.perf_counter() - began))
        out = {key: values[1:] for key, values in out.items()}  # the first tick warms caches
        out["whole"] = [len(orjson.dumps(p)) / 1024 for p in sent if "model" in p]
        out["patch"] = [len(orjson.dumps(p)) / 1024 for p in sent if "patch" in p]
        return out
    finally:
        client.flushdb()


def run(server: Server) -> list[Figure]:
    figures = []
    for reference in (load_reference("12"), national_reference()):
        size = len(reference.regencies)
        times = push_times(server, reference)
        push, cycle = percentile(times["push"], 50), percentile(times["cycle"], 50)
        label = f"push per tick, {size} regencies, {len(ROOMS)} rooms"
        figures += [
            Figure(server.label, f"{label} p50", push, "ms"),
            Figure(server.label, f"{label} p95", percentile(times["push"], 95), "ms"),
            Figure(server.label, "  cycle published per tick p50 (baseline)", cycle, "ms"),
            Figure(server.label, "  push / cycle", push / cycle, "x"),
            Figure(server.label, "  whole model", max(times["whole"]), "KiB"),
            Figure(server.label, "  patch, mean", sum(times["patch"]) / max(1, len(times["patch"])), "KiB"),
        ]
    return figures


if __name__ == "__main__":
    main_for(run)
