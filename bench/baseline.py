"""The bare stream loop: pipelined XADD of 12-field entries in batches of 1,000 from one process,
XREADGROUP + XACK in another, no work done on either side. The rollup path is judged against it."""

from __future__ import annotations

from bench.harness import Figure, Server, main_for
from bench.pipeline import BATCH, Entries, run_pipeline

STREAM = "bench:baseline"
EVENTS = 200_000


def _entry(n: int) -> dict[str, str]:
    # The fields of a typical service_request event, flattened: 12 fields.
    return {
        "event_id": f"ev-{n:09d}",
        "type": "service_request",
        "request_id": f"req-12.71-{n // 3:09d}",
        "regency_code": "12.71",
        "status": "in_progress",
        "category": "jalan_jembatan",
        "channel": "app",
        "opd": "Dinas Pekerjaan Umum dan Penataan Ruang",
        "ts": "2025-03-04T10:15:00.000+07:00",
        "priority": "normal",
        "title": "Laporan jalan dan jembatan di Kota Medan",
        "source": "bench",
    }


def measure(server: Server, events: int = EVENTS) -> float:
    """Events per second through the bare loop, first XADD to last XACK."""
    entries = [_entry(n) for n in range(events)]

    def make_producer(client):
        def produce() -> None:
            pipe = client.pipeline(transaction=False)
            for start in range(0, events, BATCH):
                for entry in entries[start : start + BATCH]:
                    pipe.xadd(STREAM, entry)
                pipe.execute()

        return produce

    def make_consumer(client):
        def consume(batch: Entries) -> None:
            pass

        return consume

    result = run_pipeline(server.url, STREAM, events, make_producer, make_consumer)
    server.client().delete(STREAM)
    return result.rate


def run(server: Server) -> list[Figure]:
    return [Figure(server.label, "baseline: bare XADD -> XREADGROUP/XACK", measure(server), "events/s")]


if __name__ == "__main__":
    main_for(run)
