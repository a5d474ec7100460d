"""Event posted to seen on the wall: realistic events posted over HTTP at 1,000 events/s (20 every 20 ms) to
the served stack (`python wsgi.py` and `python -m ingest worker live` in subprocesses), the wall open in
headless Chromium.

A MutationObserver in the page timestamps every change of the "received today" tile (`Date.now()`, the same
clock as the poster's `time.time()`). Each batch is posted at a known time and raises the count the tile must
reach to a known value; its latency is the first time the tile showed at least that value minus the time its
post began. So every batch is a marker, and the figure includes the ingest API, the stream, the rollup, the
tick (coalesced to at most 4 per second), the refresh callback and the browser's rendering.
"""

from __future__ import annotations

import bisect
import time

from bench.harness import Figure, Server, main_for, percentile
from bench.stack import Feed, open_wall, received_tile_id, served_stack, steady, tile_number
from bench.web import chromium
from store.reference import load_reference

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


def latencies(server: Server) -> list[float]:
    """Milliseconds from each batch's post to the wall showing a received count that includes it."""
    client = server.client()
    client.flushdb()
    reference = load_reference("12")
    sent: list[tuple[float, int]] = []  # (posted at, received count expected once applied)
    try:
        with served_stack(server.url) as stack, chromium() as driver:
            open_wall(driver, stack.url)
            driver.execute_script(OBSERVE, received_tile_id())
            feed = Feed(stack.url, reference)
            steady(RATE, BATCH, SECONDS, lambda n, at: sent.append((at, feed.post(BATCH))))
            expected = sent[-1][1]
            deadline = time.monotonic() + DRAIN
            seen: list[tuple[int, str]] = []
            while time.monotonic() < deadline:
                seen = driver.execute_script("return window.benchSeen")
                if seen and tile_number(seen[-1][1]) >= expected:
                    break
                time.sleep(0.5)
    finally:
        client.flushdb()
    counts, times = [], []  # the running maximum of the tile, and when it was first shown
    for at_ms, text in seen:
        value = tile_number(text)
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
            raise RuntimeError(f"the wall never showed {target} (last {counts[-1] if counts else None})")
        out.append(times[index] - 1000 * posted)
    return out


def run(server: Server) -> list[Figure]:
    samples = latencies(server)
    label = f"event posted -> seen on the wall at {RATE:,} events/s"
    p95 = percentile(samples, 95)
    return [
        Figure(server.label, f"{label} p50", percentile(samples, 50), "ms"),
        Figure(server.label, f"{label} p95", p95, "ms", f"< {TARGET_P95_MS}", p95 < TARGET_P95_MS),
        Figure(server.label, f"{label} max", max(samples), "ms"),
    ]


if __name__ == "__main__":
    main_for(run)
