"""The live rollup path: validation and XADD in a producer process, XREADGROUP + the live worker's handler
(`LiveRollup`: `LiveState.apply` and the operations cycle before each tick) + XACK in a consumer process; then
each stage alone, so the bottleneck shows."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from bench import baseline
from bench.harness import Figure, Server, main_for
from bench.pipeline import BATCH, Entries, run_pipeline
from bench.workload import Workload
from store.contract.events import to_record, validate_event
from store.contract.keys import Keys
from store.contract.reference import Reference, load_reference
from store.contract.settings import Settings
from store.live.state import CONFLICT, LiveState
from workers.live import LiveRollup

EVENTS = 60_000
TARGET_RATE = 30_000
TARGET_SHARE = 60  # percent of the bare loop


def realistic_events(reference: Reference, count: int, now: datetime) -> list[dict[str, Any]]:
    return Workload(reference).events(count, now)


def validate_all(events: list[dict[str, Any]], reference: Reference, now: datetime) -> list[str]:
    return [to_record(validate_event(event, reference, now)) for event in events]


def validation_rate(events: list[dict[str, Any]], reference: Reference, now: datetime) -> float:
    began = time.monotonic()
    validate_all(events, reference, now)
    return len(events) / (time.monotonic() - began)


def _evalsha_stats(server: Server) -> tuple[int, int]:
    stats = server.client().info("commandstats").get("cmdstat_evalsha", {})
    return stats.get("calls", 0), stats.get("usec", 0)


def apply_rate(server: Server, records: list[str], reference: Reference) -> tuple[float, float]:
    """Events per second through `LiveState.apply` alone (batches of 1,000 on an empty state), and the
    Redis server's own time per event inside the Lua script, in microseconds."""
    client = server.client()
    client.flushdb()
    live = LiveState(client, reference)
    live.apply(records[:1], datetime.now(UTC))  # load the script outside the timing
    client.flushdb()
    calls, usec = _evalsha_stats(server)
    began = time.monotonic()
    for start in range(0, len(records), BATCH):
        codes = live.apply(records[start : start + BATCH], datetime.now(UTC))
        assert CONFLICT not in codes
    seconds = time.monotonic() - began
    calls_after, usec_after = _evalsha_stats(server)
    assert calls_after - calls >= len(records) // BATCH
    client.flushdb()
    return len(records) / seconds, (usec_after - usec) / len(records)


def end_to_end_rate(server: Server, events: list[dict[str, Any]], reference: Reference, now: datetime):
    """The whole path in two processes, first XADD to last XACK."""
    stream = Keys(reference.province).events
    maxlen = Settings().stream_maxlen
    server.client().flushdb()

    def make_producer(client):
        def produce() -> None:
            pipe = client.pipeline(transaction=False)
            for start in range(0, len(events), BATCH):
                for event in events[start : start + BATCH]:
                    record = to_record(validate_event(event, reference, now))
                    pipe.xadd(stream, {"e": record}, maxlen=maxlen, approximate=True)
                pipe.execute()

        return produce

    def make_consumer(client):
        # The live worker's own handler: apply, then the operations cycle before each tick (ticks sent nowhere).
        rollup = LiveRollup(client, reference, lambda _cycle: None)

        def consume(entries: Entries) -> None:
            rollup([(entry_id, fields["e"]) for entry_id, fields in entries])
            rollup.idle()

        return consume

    result = run_pipeline(server.url, stream, len(events), make_producer, make_consumer)
    server.client().flushdb()
    return result


def run(server: Server, bare: float | None = None) -> list[Figure]:
    """Rollup figures on one server; `bare` is the bare loop's rate, measured here when not given."""
    reference = load_reference("12")
    now = datetime.now(UTC)
    events = realistic_events(reference, EVENTS, now)
    records = validate_all(events, reference, now)
    bare = bare or baseline.measure(server)
    e2e = end_to_end_rate(server, events, reference, now)
    applied, lua_us = apply_rate(server, records, reference)
    share = 100 * e2e.rate / bare
    name = server.label
    return [
        Figure(name, "baseline: bare XADD -> XREADGROUP/XACK", bare, "events/s"),
        Figure(
            name,
            "rollup end to end (XADD -> XACK)",
            e2e.rate,
            "events/s",
            f">= {TARGET_RATE:,}",
            e2e.rate >= TARGET_RATE,
        ),
        Figure(name, "rollup / baseline", share, "%", f">= {TARGET_SHARE}", share >= TARGET_SHARE),
        Figure(name, "  producer (validate + XADD) in e2e", e2e.producer_rate, "events/s"),
        Figure(name, "  validation only (1 core)", validation_rate(events, reference, now), "events/s"),
        Figure(name, "  apply only (LiveState.apply)", applied, "events/s"),
        Figure(name, "  Lua apply, server time per event", lua_us, "us"),
    ]


if __name__ == "__main__":
    main_for(run)
