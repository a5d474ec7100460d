"""The nation on one machine: a national feed of 2,000 events a second across the 514 regencies (each province's
share by its population), applied to the 38 provinces' live state as their workers do, each province's
coalesced ticks (its operations cycle and the render of its watched wall) and the national worker's ticks.

The figure is the share of one core the cycles take together (the time spent in them over the time the feed
ran: the worker's own time and Redis's for the scripts it calls), beside the share the applying takes: the
target is that all 38 provinces and the nation tick in under 30% of one core. Every province wall and the
national wall are watched, so every tick renders.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bench.harness import Figure, Server, main_for
from bench.workload import Workload
from ingest.simulate import Simulator
from store.contract.events import to_record, validate_event
from store.contract.keys import Keys
from store.contract.provinces import NATIONAL, province_names
from store.contract.reference import load_reference
from store.contract.rooms import province_room
from store.live.national import national_reference
from store.live.state import LiveState
from workers.live import TICKS_PER_SECOND, LiveRollup
from workers.national import NationalRollup
from workers.screens import ScreenBroadcaster

RATE = 2_000  # events/s across the nation
SECONDS = 20
STEP = 0.1  # the live worker reads its stream in batches every 100 ms at most (its block_ms)
TARGET_SHARE = 30  # percent of one core for every province's cycles and the nation's


class Stopwatch:
    """Time spent inside the functions it wraps."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.calls = 0

    def wrap(self, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - began
                self.calls += 1

        return timed


def _watch(client, province: str) -> None:
    client.zadd(Keys(province).screens_watched, {province_room("id"): time.time() + 3600})


def run(server: Server) -> list[Figure]:
    client = server.client()
    client.flushdb()
    now = datetime.now(UTC)
    references = {code: load_reference(code) for code in sorted(province_names())}
    people = {code: sum(r.population for r in ref.regencies.values()) for code, ref in references.items()}
    nation = sum(people.values())
    applying, cycles, national = Stopwatch(), Stopwatch(), Stopwatch()
    rollups, feeds = {}, {}
    for code, reference in references.items():
        opening = Simulator(reference, 20, seed=3, start=now).opening()
        LiveState(client, reference).apply([to_record(validate_event(e, reference, now)) for e in opening], now)
        count = round(RATE * SECONDS * people[code] / nation)
        events = Workload(reference).events(count, now)
        feeds[code] = [to_record(validate_event(e, reference, now)) for e in events]
        screens = ScreenBroadcaster(client, reference, lambda *_message: None)
        rollup = LiveRollup(client, reference, cycles.wrap(screens.push))
        rollup.state.apply_noting = applying.wrap(rollup.state.apply_noting)
        rollup.cycles.publish = cycles.wrap(rollup.cycles.publish)
        rollups[code] = rollup
        _watch(client, code)
    national_screens = ScreenBroadcaster(client, national_reference(), lambda *_message: None)
    nation_rollup = NationalRollup(client, national_screens.push)
    _watch(client, NATIONAL)
    tick = national.wrap(nation_rollup.tick)

    steps = round(SECONDS / STEP)
    began = time.monotonic()
    next_national = began
    sent = 0
    for step in range(steps):
        for code, rollup in rollups.items():
            per_step = len(feeds[code]) / steps
            batch = feeds[code][round(step * per_step) : round((step + 1) * per_step)]
            if batch:
                rollup([(f"{step}-{n}", record) for n, record in enumerate(batch)])
                sent += len(batch)
            rollup.idle()
        if time.monotonic() >= next_national:
            tick()
            next_national += 1.0 / TICKS_PER_SECOND
        time.sleep(max(0.0, began + (step + 1) * STEP - time.monotonic()))
    elapsed = time.monotonic() - began
    client.flushdb()

    share = 100 * (cycles.seconds + national.seconds) / elapsed
    name = server.label
    return [
        Figure(name, "national feed applied (38 provinces)", sent / elapsed, "events/s", f"{RATE:,} offered"),
        Figure(
            name,
            "live cycles, 38 provinces + nation, share of a core",
            share,
            "%",
            f"< {TARGET_SHARE}",
            share < TARGET_SHARE,
        ),
        Figure(name, "  provinces' cycles (operations cycle + render)", 100 * cycles.seconds / elapsed, "%"),
        Figure(name, "  province cycles a second", cycles.calls / 2 / elapsed, "/s"),
        Figure(name, "  national cycle, share of a core", 100 * national.seconds / elapsed, "%"),
        Figure(name, "  national cycle, ms per tick", 1000 * national.seconds / max(1, national.calls), "ms"),
        Figure(name, "  applying the feed (baseline), share of a core", 100 * applying.seconds / elapsed, "%"),
    ]


if __name__ == "__main__":
    main_for(run)
