"""A producer process writing to a stream and a consumer process reading it through a consumer group,
timed from the first XADD to the last XACK."""

from __future__ import annotations

import multiprocessing
import queue
import time
from collections.abc import Callable
from dataclasses import dataclass

import redis

from store.servers.redis_clients import connect

BATCH = 1_000
GROUP = "bench"
Entries = list[tuple[str, dict[str, str]]]


@dataclass(frozen=True)
class PipelineResult:
    events: int
    seconds: float  # first XADD to last XACK
    producer_seconds: float  # first XADD to the producer's last reply
    samples: list[float]  # whatever the consumer's handler measured, e.g. lag per event

    @property
    def rate(self) -> float:
        return self.events / self.seconds

    @property
    def producer_rate(self) -> float:
        return self.events / self.producer_seconds


def _producer(url: str, make: Callable[[redis.Redis], Callable[[], int]], start, results) -> None:
    client = connect(url)
    produce = make(client)
    start.wait()
    began = time.monotonic()
    produce()
    results.put(("producer", began, time.monotonic()))


def _consumer(
    url: str, stream: str, total: int, make: Callable[[redis.Redis], Callable[[Entries], None]], start, results
) -> None:
    client = connect(url)
    handle = make(client)
    start.wait()
    done, samples = 0, []
    while done < total:
        reply = client.xreadgroup(GROUP, "c1", {stream: ">"}, count=BATCH, block=200)
        if not reply:
            continue
        entries = reply[0][1]
        samples.extend(handle(entries) or ())
        client.xack(stream, GROUP, *(entry_id for entry_id, _ in entries))
        done += len(entries)
    results.put(("consumer", done, time.monotonic(), samples))


def run_pipeline(
    url: str,
    stream: str,
    total: int,
    make_producer: Callable[[redis.Redis], Callable[[], int]],
    make_consumer: Callable[[redis.Redis], Callable[[Entries], list[float] | None]],
    timeout: float = 120,
) -> PipelineResult:
    """Run both processes (forked, so the factories may be closures) and time them end to end.

    `make_producer(client)` returns a function writing `total` entries to `stream`; `make_consumer(client)`
    returns a function handling one batch read from it (and optionally returning samples to collect).
    Both processes are stopped before returning.
    """
    client = connect(url)
    client.delete(stream)
    client.xgroup_create(stream, GROUP, id="0", mkstream=True)
    client.close()
    context = multiprocessing.get_context("fork")
    start, results = context.Barrier(2), context.Queue()
    processes = [
        context.Process(target=_producer, args=(url, make_producer, start, results), daemon=True),
        context.Process(target=_consumer, args=(url, stream, total, make_consumer, start, results), daemon=True),
    ]
    for process in processes:
        process.start()
    try:
        got = {}
        deadline = time.monotonic() + timeout
        while len(got) < 2:
            try:
                kind, *values = results.get(timeout=0.5)
                got[kind] = values
            except queue.Empty:
                failed = [p.exitcode for p in processes if p.exitcode not in (None, 0)]
                if failed or time.monotonic() > deadline:
                    raise RuntimeError(f"pipeline did not finish (exit codes {failed})") from None
    finally:
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join()
    began, produced = got["producer"]
    done, acked, samples = got["consumer"]
    return PipelineResult(done, acked - began, produced - began, samples)
