"""Many screens on one machine: the served stack (the web app on gevent, the live worker), N wall screens signed in
with wall sessions (`bench/screens_node/screens.mjs`: socket.io-client in Node.js, in processes of their own), and a
Chromium wall beside them, while events are posted at 1,000/s. A few of the screens apply every push with the
page's own `assets/push.js`; the others only receive, so that the screens' processes stay far from a full core
(their CPU is shown beside the web app's: the generator must never be what is measured). For each N, with N = 0
as the baseline of the same run: deliveries per second, the web app's CPU per delivery (beyond its CPU at N = 0:
the feed's ingest and the Chromium wall), the push delay from the
worker's send to a screen's receipt, bytes per delivery, pushes missed or out of order, screens refused or
dropped, the processes' CPU and the web app's memory, and posted -> seen on the Chromium wall.
`python -m bench.screens [N ...]`; `WEBSOCKET_COMPRESSION=1` measures the screens' WebSockets compressed.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psutil

from bench import latency
from bench.harness import Figure, Server, main_for, percentile
from bench.stack import Stack, open_wall, served_stack
from bench.web import WALL_TOKEN, chromium

SCREENS = (0, 100, 300, 1_000, 3_000)
NODE_CLIENTS = Path(__file__).resolve().parent / "screens_node"
SCREENS_PER_PROCESS = 500  # receive-only screens one Node.js process holds well under a core
APPLYING = 5  # screens that apply every push as the page does
TARGET_SEEN_P95_MS = 250
TARGET_DELIVERIES_PER_CPU_S = 10_000
TARGET_DELAY_MAX_MS = 1_000


def _cpu_seconds(process: psutil.Process) -> float:
    """CPU time (user + system) of a process with its children so far."""
    total = 0.0
    for p in [process, *process.children(recursive=True)]:
        times = p.cpu_times()
        total += times.user + times.system
    return total


def _node() -> str:
    """Node.js, with the screens' client library installed (`npm ci` in bench/screens_node, once)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        raise RuntimeError("bench.screens needs Node.js and npm")
    if not (NODE_CLIENTS / "node_modules").exists():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=NODE_CLIENTS, check=True)
    return node


def _clients(stack: Stack, screens: int) -> list[subprocess.Popen]:
    """The screens' processes: `SCREENS_PER_PROCESS` each at most, the first holding the screens that apply."""
    processes = max(1, math.ceil(screens / SCREENS_PER_PROCESS))
    shares = [screens // processes + (n < screens % processes) for n in range(processes)]
    return [
        subprocess.Popen(
            [
                _node(),
                str(NODE_CLIENTS / "screens.mjs"),
                stack.url,
                str(share),
                str(latency.SECONDS + latency.DRAIN + 10),  # counting stops when told, at the latest then
                str(APPLYING * (n == 0)),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=dict(os.environ, WALL_TOKEN=WALL_TOKEN),
        )
        for n, share in enumerate(shares)
    ]


def one_run(server: Server, screens: int) -> dict[str, object]:
    client = server.client()
    client.flushdb()
    try:
        # Every screen is a connection the web app holds, beside the wall, the feed and the sign-ins.
        connections = str(max(2_000, screens + 500))
        with served_stack(server.url, WEB_CONNECTIONS=connections) as stack, chromium() as driver:
            open_wall(driver, stack.url)
            clients = _clients(stack, screens)
            ready = sum(json.loads(c.stdout.readline())["ready"] for c in clients)
            servers = dict(stack.processes)
            watched = {**servers, **{f"screens {n}": psutil.Process(c.pid) for n, c in enumerate(clients)}}
            before, began = {name: _cpu_seconds(p) for name, p in watched.items()}, time.monotonic()
            for c in clients:
                c.stdin.write("go\n")
                c.stdin.flush()
            seen, _applied = latency.posted_to_seen(server, stack.url, driver)
            for c in clients:
                c.stdin.write("stop\n")
                c.stdin.flush()
            reports = [json.loads(c.stdout.readline()) for c in clients]
            took = time.monotonic() - began
            cpu = {name: (_cpu_seconds(p) - before[name]) / took for name, p in watched.items()}
            memory = stack.rss_mib()
            for c in clients:
                c.wait(timeout=60)
    finally:
        client.flushdb()
    merged = {key: sum((r[key] for r in reports), [] if isinstance(reports[0][key], list) else 0) for key in reports[0]}
    return {"ready": ready, "report": merged, "seen": seen, "cpu": cpu, "memory": memory, "took": took}


def run(server: Server, counts: tuple[int, ...] = SCREENS) -> list[Figure]:
    figures = []
    baseline_cpu = None  # the web app's CPU with no screens (the feed's ingest and the Chromium wall): N = 0 first
    for screens in counts:
        result = one_run(server, screens)
        report, cpu, took = result["report"], result["cpu"], result["took"]
        label = f"{screens:,} screens"
        delays = report["delays"] or [float("nan")]
        delivered = sum(report["received"])
        web_cpu = cpu["web app"]
        baseline_cpu = web_cpu if baseline_cpu is None else baseline_cpu
        fanning = (web_cpu - baseline_cpu) * took  # CPU-seconds the screens cost beyond the baseline
        per_cpu_second = delivered / fanning if fanning > 0 and delivered else float("nan")
        busiest = max((share for name, share in cpu.items() if name.startswith("screens")), default=0.0)
        p95 = percentile(result["seen"], 95)
        figures += [
            Figure(server.label, f"{label}: connected of {screens:,}", report["connected"], ""),
            Figure(server.label, f"{label}:   refused / dropped", report["refused"] + report["dropped"], ""),
            Figure(server.label, f"{label}:   deliveries per s", delivered / took, "/s"),
            Figure(
                server.label,
                f"{label}:   deliveries per web app CPU-second (beyond N = 0)",
                per_cpu_second,
                "/s",
                f">= {TARGET_DELIVERIES_PER_CPU_S:,}",
                per_cpu_second >= TARGET_DELIVERIES_PER_CPU_S,
            ),
            Figure(server.label, f"{label}:   fewest pushes one screen received", min(report["received"] or [0]), ""),
            Figure(
                server.label,
                f"{label}:   pushes missed or out of order",
                report["missed"],
                "",
                "0",
                not report["missed"],
            ),
            Figure(server.label, f"{label}:   push delay p50", percentile(delays, 50), "ms"),
            Figure(server.label, f"{label}:   push delay p95", percentile(delays, 95), "ms"),
            Figure(
                server.label,
                f"{label}:   push delay max",
                max(delays),
                "ms",
                f"< {TARGET_DELAY_MAX_MS:,}",
                max(delays) < TARGET_DELAY_MAX_MS,
            ),
            Figure(server.label, f"{label}:   bytes per delivery", report["bytes"] / max(1, delivered), "B"),
            Figure(server.label, f"{label}:   web app CPU", 100 * web_cpu, "%"),
            Figure(server.label, f"{label}:   busiest screens process CPU", 100 * busiest, "%"),
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
