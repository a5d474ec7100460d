"""Lag from XADD to the end of the rollup (the live worker's handler: apply, dead-letter conflicts, note
ticks) at a steady offered rate."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from bench.harness import Figure, Server, main_for, percentile
from bench.pipeline import Entries, run_pipeline
from bench.rollup import validate_all
from bench.workload import Workload
from store.contract.keys import Keys
from store.contract.reference import load_reference
from store.contract.settings import Settings
from workers.live import LiveRollup

RATE = 1_000  # events/s offered
SECONDS = 10
TICK = 0.02  # the producer writes RATE * TICK events every TICK seconds


def lags(server: Server) -> list[float]:
    """Milliseconds from each XADD (the stream entry id's time) to the end of its rollup."""
    reference = load_reference("12")
    now = datetime.now(UTC)
    records = validate_all(Workload(reference).events(RATE * SECONDS, now), reference, now)
    stream = Keys(reference.province).events
    maxlen = Settings().stream_maxlen
    per_tick = int(RATE * TICK)
    server.client().flushdb()

    def make_producer(client):
        def produce() -> None:
            began = time.monotonic()
            pipe = client.pipeline(transaction=False)
            for n, start in enumerate(range(0, len(records), per_tick)):
                time.sleep(max(0.0, began + n * TICK - time.monotonic()))
                for record in records[start : start + per_tick]:
                    pipe.xadd(stream, {"e": record}, maxlen=maxlen, approximate=True)
                pipe.execute()

        return produce

    def make_consumer(client):
        # The live worker's own batch handler, with ticks coalesced as in production but sent nowhere.
        handle = LiveRollup(client, reference, lambda _cycle: None)

        def consume(entries: Entries) -> list[float]:
            handle([(entry_id, fields["e"]) for entry_id, fields in entries])
            # Entry ids start with the server's clock in ms: the same clock as time.time() here.
            done = time.time() * 1000
            return [done - int(entry_id.split("-")[0]) for entry_id, _ in entries]

        return consume

    result = run_pipeline(server.url, stream, len(records), make_producer, make_consumer)
    server.client().flushdb()
    return result.samples


def run(server: Server) -> list[Figure]:
    samples = lags(server)
    label = f"lag XADD -> rollup at {RATE:,} events/s"
    return [
        Figure(server.label, f"{label} p50", percentile(samples, 50), "ms"),
        Figure(server.label, f"{label} p95", percentile(samples, 95), "ms"),
    ]


if __name__ == "__main__":
    main_for(run)
