"""Soak: the wall open in headless Chromium for `--minutes` (default 60) while 50 realistic events/s flow
through the served stack (`python wsgi.py`, `python -m workers live`). Every 30 s, after a forced
garbage collection in the page, it samples the page's JS heap and DOM node count (CDP `Performance.getMetrics`)
and the resident memory of both server processes, then reports each one's growth after the warm-up.

`python -m bench.soak --minutes 10` runs it on REDIS_URL's server or an embedded one.
"""

from __future__ import annotations

import argparse
import threading
import time
from dataclasses import dataclass, field

from bench.harness import machine, redis_servers
from bench.stack import Feed, open_wall, served_stack, steady
from bench.web import chromium
from store.contract.reference import load_reference

RATE = 50  # events/s offered
BATCH = 5
SAMPLE_SECONDS = 30
WARM_UP_SECONDS = 120


@dataclass
class Soak:
    """Samples over time: seconds since start, then one series per measure."""

    seconds: list[float] = field(default_factory=list)
    series: dict[str, list[float]] = field(default_factory=dict)
    batches: int = 0
    history_max: int = 0  # the most entries seen in Dash's undo history (assets/history.js keeps it short)

    def add(self, at: float, values: dict[str, float]) -> None:
        self.seconds.append(at)
        for name, value in values.items():
            self.series.setdefault(name, []).append(value)

    def growth(self, warm_up: float = WARM_UP_SECONDS) -> dict[str, float]:
        """Per measure, percent change from the mean of the first three samples after `warm_up` to the mean of
        the last three (means, since the page's heap and node count swing as the tour switches panels)."""
        start = next(i for i, s in enumerate(self.seconds) if s >= warm_up)
        out = {}
        for name, values in self.series.items():
            head = values[start : start + 3]
            tail = values[max(start + 3, len(values) - 3) :] or values[-1:]
            first, last = sum(head) / len(head), sum(tail) / len(tail)
            out[name] = 100 * (last - first) / first
        return out


def _history_entries(driver) -> int:
    return driver.execute_script("return Math.max(...window.dash_stores.map(s => s.getState().history.past.length))")


def _page_metrics(driver) -> dict[str, float]:
    driver.execute_cdp_cmd("HeapProfiler.collectGarbage", {})
    metrics = {m["name"]: m["value"] for m in driver.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]}
    return {"page JS heap MiB": metrics["JSHeapUsedSize"] / 2**20, "page DOM nodes": metrics["Nodes"]}


def soak(redis_url: str, minutes: float, sample_seconds: float = SAMPLE_SECONDS, report=print) -> Soak:
    """Run the soak and return its samples; `report` gets one line per sample."""
    result = Soak()
    with served_stack(redis_url) as stack, chromium() as driver:
        open_wall(driver, stack.url)
        driver.execute_cdp_cmd("Performance.enable", {})
        feed = Feed(stack.url, load_reference("12"))
        stop = threading.Event()
        failures: list[BaseException] = []

        def post() -> None:
            try:
                result.batches = steady(RATE, BATCH, minutes * 60, lambda n, at: stop.is_set() or feed.post(BATCH))
            except BaseException as exc:  # reported by the main thread
                failures.append(exc)

        poster = threading.Thread(target=post, daemon=True)
        began = time.monotonic()
        poster.start()
        try:
            while time.monotonic() - began < minutes * 60 and not failures:
                at = time.monotonic() - began
                values = {**_page_metrics(driver), **{f"{k} RSS MiB": v for k, v in stack.rss_mib().items()}}
                result.add(at, values)
                result.history_max = max(result.history_max, _history_entries(driver))
                report(f"{at:7.0f} s  " + "  ".join(f"{k} {v:,.1f}" for k, v in values.items()))
                time.sleep(max(0.0, began + len(result.seconds) * sample_seconds - time.monotonic()))
        finally:
            stop.set()
            poster.join(timeout=30)
        if failures:
            raise RuntimeError("the feed failed") from failures[0]
        result.add(
            time.monotonic() - began,
            {**_page_metrics(driver), **{f"{k} RSS MiB": v for k, v in stack.rss_mib().items()}},
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=60)
    args = parser.parse_args()
    info = machine()
    print(f"Machine: {info['cpu']}, {info['cores']} cores, Python {info['python']}, load average {info['load']}")
    with redis_servers(include_system=False) as servers:
        result = soak(servers[0].url, args.minutes)
    info = machine()
    print(f"Load average at the end: {info['load']}; {result.batches * BATCH:,} events posted")
    print(f"Dash undo history: at most {result.history_max} entries")
    print(f"Growth from {WARM_UP_SECONDS} s to the end (mean of the last three samples):")
    for name, pct in result.growth().items():
        first = result.series[name][0]
        print(f"  {name:<28} {pct:+6.1f} %   (first sample {first:,.1f}, last {result.series[name][-1]:,.1f})")


if __name__ == "__main__":
    main()
