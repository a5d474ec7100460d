"""The wall page's own work: the served stack (as `bench/latency.py`) with the wall open in headless Chromium,
first idle, then at 1,000 events/s, for Sumatera Utara (33 regencies) and Jawa Timur (38, the most of any
province's wall).

Chromium's main thread is where the page spends its time (CDP `Performance.getMetrics` TaskDuration): per
second idle, and per push applied under the feed. Store notifications per push count the Redux subscribers'
runs (each runs the selector of every component on the page). Hooks in the page count the pushes its follower
receives (`assets/push.js`) and the frames that draw them (`assets/wall.js` `show`: the pushes that came since the
last frame, at once), and time each drawing from the worker's send (`served_at`).
"""

from __future__ import annotations

import time

from bench.harness import Figure, Server, main_for, percentile
from bench.stack import Feed, open_wall, served_stack, steady
from bench.web import chromium
from store.contract.reference import load_reference

PROVINCES = ("12", "35")  # Sumatera Utara, Jawa Timur
RATE, BATCH = 1_000, 20
SECONDS = 10
WARM_UP_S = 3  # the feed at its rate before measuring: the wall has drawn a busy province once
SETTLE_S = 3  # then quiet: the feed's last ticks are over before the idle second is measured
TARGET_PUSH_MS = 16
TARGET_IDLE_MS_PER_S = 5

HOOKS = """
const probe = (window.benchProbe = {pushes: 0, patches: 0, drawn: 0, applied: [], notified: 0});
window.dash_stores[0].subscribe(function () { probe.notified += 1; });
const follower = wall.follower;
const receive = follower.receive.bind(follower);
follower.receive = function (push) {
  probe.pushes += 1;
  if (push && push.patch) probe.patches += 1;
  return receive(push);
};
const show = window.show;
window.show = function (model, patch, push) {
  const result = show.apply(this, arguments);
  probe.drawn += 1;
  if (push && push.served_at) probe.applied.push(Date.now() - push.served_at);
  return result;
};
"""


def _main_thread_ms(driver) -> float:
    metrics = driver.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]
    return 1000 * next(m["value"] for m in metrics if m["name"] == "TaskDuration")


def run(server: Server) -> list[Figure]:
    return [figure for province in PROVINCES for figure in _run(server, province)]


def _run(server: Server, province: str) -> list[Figure]:
    client = server.client()
    client.flushdb()
    reference = load_reference(province)
    try:
        with served_stack(server.url, PROVINCES=province) as stack, chromium() as driver:
            open_wall(driver, stack.url)
            driver.execute_cdp_cmd("Performance.enable", {})
            feed = Feed(stack.url, reference)
            steady(RATE, BATCH, WARM_UP_S, lambda n, at: feed.post(BATCH))
            time.sleep(SETTLE_S)
            began, busy = time.monotonic(), _main_thread_ms(driver)
            time.sleep(SECONDS)
            idle = (_main_thread_ms(driver) - busy) / (time.monotonic() - began)
            driver.execute_script(HOOKS)
            busy = _main_thread_ms(driver)
            steady(RATE, BATCH, SECONDS, lambda n, at: feed.post(BATCH))
            fed = _main_thread_ms(driver) - busy
            probe = driver.execute_script("return window.benchProbe")
    finally:
        client.flushdb()
    pushes = max(1, probe["pushes"])
    per_push = fed / pushes
    name = reference.province_name
    return [
        Figure(
            server.label,
            f"{name} wall idle: main thread",
            idle,
            "ms/s",
            f"< {TARGET_IDLE_MS_PER_S}",
            idle < TARGET_IDLE_MS_PER_S,
        ),
        Figure(server.label, f"  at {RATE:,} events/s: pushes applied", probe["pushes"] / SECONDS, "/s"),
        Figure(server.label, "  of them patches", probe["patches"] / SECONDS, "/s"),
        Figure(server.label, "  frames drawing them", probe["drawn"] / SECONDS, "/s"),
        Figure(
            server.label, "  main thread per push", per_push, "ms", f"< {TARGET_PUSH_MS}", per_push < TARGET_PUSH_MS
        ),
        Figure(server.label, "  store notifications per push", probe["notified"] / pushes, ""),
        Figure(server.label, "  worker's send -> drawn p50", percentile(probe["applied"], 50), "ms"),
        Figure(server.label, "  worker's send -> drawn p95", percentile(probe["applied"], 95), "ms"),
    ]


if __name__ == "__main__":
    main_for(run)
