"""A thousand screens on one machine: the served stack (the web app on gevent, the live worker), N wall screens
signed in with wall sessions and applying every push (`bench/screens_node/screens.mjs`: socket.io-client in
Node.js, applying each push with the page's own `assets/push.js`, in a process of its own), and a
Chromium wall beside them, while events are posted at 1,000/s. For each N, with N = 0 as the baseline of the
same run: pushes applied per second over all screens, the push delay per screen (the worker's send to the
screen applying it), screens refused or dropped, the web app's and the live worker's CPU and memory, and posted
-> seen on the Chromium wall. `python -m bench.screens [N ...]`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.harness import Figure, Server, main_for, percentile
from bench.latency import SECONDS, posted_to_seen
from bench.stack import Stack, open_wall, served_stack
from bench.web import WALL_TOKEN, chromium

SCREENS = (0, 10, 100, 300, 1_000)
NODE_CLIENTS = Path(__file__).resolve().parent / "screens_node"
TARGET_SEEN_P95_MS = 150


def _cpu_seconds(stack: Stack) -> dict[str, float]:
    """CPU time (user + system) of each server process with its children so far."""
    out = {}
    for name, process in stack.processes.items():
        total = 0.0
        for p in [process, *process.children(recursive=True)]:
            times = p.cpu_times()
            total += times.user + times.system
        out[name] = total
    return out


def _node() -> str:
    """Node.js, with the screens' client library installed (`npm ci` in bench/screens_node, once)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        raise RuntimeError("bench.screens needs Node.js and npm")
    if not (NODE_CLIENTS / "node_modules").exists():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=NODE_CLIENTS, check=True)
    return node


def one_run(server: Server, screens: int) -> dict[str, object]:
    client = server.client()
    client.flushdb()
    try:
        with served_stack(server.url) as stack, chromium() as driver:
            open_wall(driver, stack.url)
            clients = subprocess.Popen(
                [_node(), str(NODE_CLIENTS / "screens.mjs"), stack.url, str(screens), str(SECONDS + 10)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                env=dict(os.environ, WALL_TOKEN=WALL_TOKEN),
            )
            assert clients.stdin is not None and clients.stdout is not None
            ready = json.loads(clients.stdout.readline())["ready"]
            before, began = _cpu_seconds(stack), time.monotonic()
            clients.stdin.write("go\n")
            clients.stdin.flush()
            seen, _applied = posted_to_seen(server, stack.url, driver)
            report = json.loads(clients.stdout.readline())
            took = time.monotonic() - began
            cpu = {name: (used - before[name]) / took for name, used in _cpu_seconds(stack).items()}
            memory = stack.rss_mib()
            clients.wait(timeout=60)
    finally:
        client.flushdb()
    return {"ready": ready, "report": report, "seen": seen, "cpu": cpu, "memory": memory, "took": took}


def run(server: Server, counts: tuple[int, ...] = SCREENS) -> list[Figure]:
    figures = []
    baseline_cpu = None
    for screens in counts:
        result = one_run(server, screens)
        report, cpu = result["report"], result["cpu"]
        label = f"{screens:,} screens"
        delays = report["delays"] or [float("nan")]
        web_cpu = cpu["web app"]
        baseline_cpu = web_cpu if baseline_cpu is None else baseline_cpu
        p95 = percentile(result["seen"], 95)
        figures += [
            Figure(server.label, f"{label}: connected of {screens:,}", report["connected"], ""),
            Figure(server.label, f"{label}:   refused / dropped", report["refused"] + report["dropped"], ""),
            Figure(
                server.label, f"{label}:   pushes applied per s (all screens)", sum(report["applied"]) / SECONDS, "/s"
            ),
            Figure(server.label, f"{label}:   fewest pushes one screen applied", min(report["applied"] or [0]), ""),
            Figure(server.label, f"{label}:   gaps (whole model fetched)", report["gaps"], ""),
            Figure(server.label, f"{label}:   push delay per screen p95", percentile(delays, 95), "ms"),
            Figure(server.label, f"{label}:   web app CPU", 100 * web_cpu, "%"),
            Figure(server.label, f"{label}:   web app CPU / baseline", web_cpu / baseline_cpu, "x"),
            Figure(server.label, f"{label}:   live worker CPU", 100 * cpu["live worker"], "%"),
            Figure(server.label, f"{label}:   web app memory", result["memory"]["web app"], "MiB"),
            Figure(
                server.label,
                f"{label}:   posted -> seen on Chromium p95",
                p95,
                "ms",
                f"< {TARGET_SEEN_P95_MS}",
                p95 < TARGET_SEEN_P95_MS,
            ),
        ]
    return figures


if __name__ == "__main__":
    counts = tuple(int(n) for n in sys.argv[1:]) or SCREENS
    main_for(lambda server: run(server, counts))
