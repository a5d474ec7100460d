"""A restart of the whole system (the embedded Redis of `make run` and the worker) loses nothing accepted."""

from __future__ import annotations

from datetime import UTC, datetime

from store.pipeline.streams import append_events
from store.servers.embedded_redis import EmbeddedRedis
from store.servers.redis_clients import connect
from tests.support.faults import KEYS, caught_up, demo_events, mismatches, records, spawn_worker, stop, wait_until


def test_embedded_redis_keeps_accepted_events_across_a_restart(reference, tmp_path):
    now = datetime.now(UTC)
    events = demo_events(reference, now, hours=0.3, seed=31)
    lines = records(events)
    half = len(lines) // 2
    directory = tmp_path / "redis"
    log = tmp_path / "worker.log"

    embedded = EmbeddedRedis(directory)
    client = connect(embedded.url)
    append_events(client, KEYS, lines[:half], cap=1_000_000)
    worker = spawn_worker(embedded.url, "live-1", log)
    wait_until(lambda: caught_up(client), 30, "the worker did not catch up before the restart")
    assert stop(worker) == 0
    # Accepted while the worker is down, so still unprocessed when everything stops.
    append_events(client, KEYS, lines[half:], cap=1_000_000)
    embedded.stop()
    # Only the append-only file carries the data over, not the snapshot written at shutdown.
    assert (directory / "appendonly.aof").stat().st_size > 0
    (directory / "dump.rdb").unlink()

    embedded = EmbeddedRedis(directory)
    try:
        client = connect(embedded.url)
        assert client.xlen(KEYS.events) == len(lines)
        worker = spawn_worker(embedded.url, "live-1", log)
        wait_until(lambda: caught_up(client), 30, "the worker did not catch up after the restart")
        assert stop(worker) == 0
        assert mismatches(client, reference, events, now) == {}
        print(f"restart: {len(lines)} events accepted ({len(lines) - half} unprocessed at the stop), all counted")
    finally:
        embedded.stop()
