"""The wall page's own work: the served stack (as `bench/latency.py`) with the wall open in headless Chromium,
first idle, then at 1,000 events/s.

Chromium's main thread is where the page spends its time (CDP `Performance.getMetrics` TaskDuration): per
second idle, and per refresh under the feed. Store notifications per refresh count the Redux subscribers' runs
(each runs the selector of every component on the page). The stages of a refresh come from hooks in the page:
the tick's server time to the tick gate, the gate to the refresh's request, the request's round trip, and its
answer to the "received today" tile changing.
"""

from __future__ import annotations

import time
from typing import Any

from bench.harness import Figure, Server, main_for, percentile
from bench.stack import Feed, open_wall, received_tile_id, served_stack, steady
from bench.web import chromium
from store.reference import load_reference

RATE, BATCH = 1_000, 20
SECONDS = 10
REFRESH_OUTPUT = "wall-asof-store.data"  # dashboard/ids.py WALL_ASOF_STORE: only the refresh writes it

HOOKS = """
const tileId = arguments[0], refreshOutput = arguments[1];
const probe = (window.benchProbe = {ticks: [], gates: [], requests: [], answers: [], seen: [], notified: 0});
window.dash_stores[0].subscribe(function () { probe.notified += 1; });
const gate = window.dash_clientside.wall.gate;
window.dash_clientside.wall.gate = function (tick) {
  probe.gates.push(performance.now());
  if (tick && tick.as_of) probe.ticks.push(Date.now() - Date.parse(tick.as_of));
  return gate.apply(this, arguments);
};
const fetch = window.fetch;
window.fetch = function (url, init) {
  const answer = fetch.apply(this, arguments);
  if (init && typeof init.body === "string" && init.body.indexOf(refreshOutput) >= 0) {
    probe.requests.push(performance.now());
    answer.then(function () { probe.answers.push(performance.now()); });
  }
  return answer;
};
new MutationObserver(function () { probe.seen.push(performance.now()); })
  .observe(document.getElementById(tileId), {childList: true, characterData: true, subtree: true});
"""


def _main_thread_ms(driver) -> float:
    metrics = driver.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]
    return 1000 * next(m["value"] for m in metrics if m["name"] == "TaskDuration")


def _first_after(times: list[float], at: float) -> float | None:
    return next((t for t in times if t >= at), None)


def _stages(probe: dict[str, Any]) -> dict[str, list[float]]:
    """Per refresh, ms: tick sent -> gate, gate -> request, request -> answer, answer -> tile changed."""
    gate_to_request, round_trip, answer_to_tile = [], [], []
    for request, answer in zip(probe["requests"], probe["answers"], strict=False):
        gates = [g for g in probe["gates"] if g <= request]
        if gates:
            gate_to_request.append(request - gates[-1])
        round_trip.append(answer - request)
        seen = _first_after(probe["seen"], answer)
        if seen is not None:
            answer_to_tile.append(seen - answer)
    return {
        "tick sent -> tick gate": probe["ticks"],
        "tick gate -> refresh request": gate_to_request,
        "refresh request -> answer": round_trip,
        "answer -> tile changed": answer_to_tile,
    }


def run(server: Server) -> list[Figure]:
    client = server.client()
    client.flushdb()
    reference = load_reference("12")
    try:
        with served_stack(server.url) as stack, chromium() as driver:
            open_wall(driver, stack.url)
            driver.execute_cdp_cmd("Performance.enable", {})
            feed = Feed(stack.url, reference)
            steady(RATE, BATCH, 3, lambda n, at: feed.post(BATCH))
            time.sleep(3)  # the feed's last ticks are over
            began, busy = time.monotonic(), _main_thread_ms(driver)
            time.sleep(SECONDS)
            idle = (_main_thread_ms(driver) - busy) / (time.monotonic() - began)
            driver.execute_script(HOOKS, received_tile_id(), REFRESH_OUTPUT)
            busy = _main_thread_ms(driver)
            steady(RATE, BATCH, SECONDS, lambda n, at: feed.post(BATCH))
            fed = _main_thread_ms(driver) - busy
            probe = driver.execute_script("return window.benchProbe")
    finally:
        client.flushdb()
    refreshes = max(1, len(probe["requests"]))
    figures = [
        Figure(server.label, "wall page idle: main thread", idle, "ms/s"),
        Figure(server.label, f"wall page at {RATE:,} events/s: refreshes", refreshes / SECONDS, "/s"),
        Figure(server.label, "  main thread per refresh", fed / refreshes, "ms"),
        Figure(server.label, "  store notifications per refresh", probe["notified"] / refreshes, ""),
    ]
    for stage, times in _stages(probe).items():
        if times:
            figures += [
                Figure(server.label, f"  {stage} p50", percentile(times, 50), "ms"),
                Figure(server.label, f"  {stage} p95", percentile(times, 95), "ms"),
            ]
    return figures


if __name__ == "__main__":
    main_for(run)
