"""Event posted to seen on the wall: realistic events posted over HTTP at 1,000 events/s (20 every 20 ms) to
the served stack (`python wsgi.py` and `python -m workers live` in subprocesses), the wall open in
headless Chromium.

A MutationObserver in the page timestamps every change of the "received today" tile (`Date.now()`, the same
clock as the poster's `time.time()`). Each batch is posted at a known time and raises the count the tile must
reach to a known value; its latency is the first time the tile showed at least that value minus the time its
post began. So every batch is a marker, and the figure includes the ingest API, the stream, the rollup, the
push (coalesced to at most `TICKS_PER_SECOND` ticks a second) and the page applying it.
"""

from __future__ import annotations

import bisect
import threading
import time
from datetime import datetime

import redis

from bench.harness import Figure, Server, main_for, percentile
from bench.stack import Feed, open_wall, received_tile_id, served_stack, steady, tile_number
from bench.web import chromium
from store.contract.calendar import WIB
from store.contract.keys import Keys
from store.contract.reference import Reference, load_reference

RATE = 1_000  # events/s offered
BATCH = 20
SECONDS = 20
WARM_UP = 3  # seconds of batches left out of the figures
DRAIN = 15  # seconds to wait for the last batches to show
TARGET_P95_MS = 500

OBSERVE = """
const tile = document.getElementById(arguments[0]);
window.benchSeen = [];
new MutationObserver(() => window.benchSeen.push([Date.now(), tile.textContent]))
  .observe(tile, {childList: true, characterData: true, subtree: true});
"""


def _watch_redis(client: redis.Redis, reference: Reference, stop: threading.Event, out: list[tuple[float, int]]):
    """Every 10 ms, the province's received count as Redis holds it (the rollup's side of the path)."""
    keys = Keys(reference.province)
    while not stop.is_set():
        today = datetime.now(WIB).date().isoformat()
        pipe = client.pipeline(transaction=False)
        for code in reference.regencies:
            pipe.hget(keys.day(code, today), "received")
        out.append((1000 * time.time(), sum(int(n or 0) for n in pipe.execute())))
        time.sleep(0.01)


def latencies(server: Server) -> tuple[list[float], list[float]]:
    """Milliseconds from each batch's post to the wall showing a received count that includes it, and to
    Redis holding it (the rollup's share of the path)."""
    client = server.client()
    client.flushdb()
    try:
        with served_stack(server.url) as stack, chromium() as driver:
            open_wall(driver, stack.url)
            return posted_to_seen(server, stack.url, driver)
    finally:
        client.flushdb()


def posted_to_seen(server: Server, url: str, driver) -> tuple[list[float], list[float]]:
    """`latencies` on a stack already served at `url` with the wall open in `driver` (see the module's text)."""
    reference = load_reference("12")
    sent: list[tuple[float, int]] = []  # (posted at, received count expected once applied)
    applied: list[tuple[float, int]] = []
    stop = threading.Event()
    watcher = threading.Thread(target=_watch_redis, args=(server.client(), reference, stop, applied), daemon=True)
    try:
        driver.execute_script(OBSERVE, received_tile_id())
        feed = Feed(url, reference)
        watcher.start()
        steady(RATE, BATCH, SECONDS, lambda n, at: sent.append((at, feed.post(BATCH))))
        deadline = time.monotonic() + DRAIN
        seen: list[tuple[int, str]] = []
        while time.monotonic() < deadline:
            time.sleep(0.5)
            seen = driver.execute_script("return window.benchSeen")
            # Done when Redis has settled (unchanged for a second) and the wall shows its count.
            settled = [n for at, n in applied if at > 1000 * time.time() - 1000]
            if seen and len(set(settled)) == 1 and tile_number(seen[-1][1]) >= settled[0]:
                break
    finally:
        stop.set()
        if watcher.is_alive():
            watcher.join()
    # A count computed from the sent events can differ from the rollup's by a few (e.g. a request whose
    # update was applied first): targets are capped at what Redis finally held.
    final = applied[-1][1]
    sent = [(posted, min(target, final)) for posted, target in sent]
    shown = [(at_ms, tile_number(text)) for at_ms, text in seen]
    return _delays(sent, shown, "the wall"), _delays(sent, applied, "Redis")


def _delays(sent: list[tuple[float, int]], timeline: list[tuple[float, int]], where: str) -> list[float]:
    """Per batch after the warm-up, ms from its post to the first time `timeline` reached its count."""
    counts, times = [], []  # the running maximum, and when it was first reached
    for at_ms, value in timeline:
        if not counts or value > counts[-1]:
            counts.append(value)
            times.append(at_ms)
    began = sent[0][0]
    out = []
    for posted, target in sent:
        if posted - began < WARM_UP:
            continue
        index = bisect.bisect_left(counts, target)
        if index == len(counts):
            raise RuntimeError(f"{where} never showed {target} (last {counts[-1] if counts else None})")
        out.append(times[index] - 1000 * posted)
    return out


def run(server: Server) -> list[Figure]:
    wall, applied = latencies(server)
    label = f"event posted -> seen on the wall at {RATE:,} events/s"
    p95 = percentile(wall, 95)
    return [
        Figure(server.label, f"{label} p50", percentile(wall, 50), "ms"),
        Figure(server.label, f"{label} p95", p95, "ms", f"< {TARGET_P95_MS}", p95 < TARGET_P95_MS),
        Figure(server.label, f"{label} max", max(wall), "ms"),
        Figure(server.label, "  of it posted -> applied in Redis p50", percentile(applied, 50), "ms"),
        Figure(server.label, "  of it posted -> applied in Redis p95", percentile(applied, 95), "ms"),
    ]


if __name__ == "__main__":
    main_for(run)
