"""Slow and idle clients against the real web app (`python wsgi.py`): can they starve everyone else?

Opens `HELD` connections that each send half a request and then nothing (as a slow phone or a hostile client
does), then times `/healthz`, the wall page and an ingest post from a well-behaved client, against the same
requests with nothing held (the baseline, same run). An answer that does not come within `ANSWER_TIMEOUT_S`
counts as that timeout. `python -m bench.slow_clients`.
"""

from __future__ import annotations

import socket
import time
from urllib.parse import urlsplit

import requests

from bench.harness import Figure, Server, main_for
from bench.stack import served_stack
from bench.web import INGEST_TOKEN, WALL_TOKEN

HELD = 300
ANSWER_TIMEOUT_S = 5.0
ROUNDS = 5


def _hold(port: int, n: int) -> list[socket.socket]:
    held = []
    for _ in range(n):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")  # and never the rest
        held.append(sock)
    return held


def _timed_ms(method: str, url: str, **kwargs: object) -> float:
    started = time.perf_counter()
    try:
        requests.request(method, url, timeout=ANSWER_TIMEOUT_S, **kwargs)
    except requests.RequestException:
        return 1000 * ANSWER_TIMEOUT_S
    return 1000 * (time.perf_counter() - started)


def _answers(base: str) -> dict[str, float]:
    """Median time of each well-behaved request over `ROUNDS`."""
    requests_made = {
        "/healthz": ("GET", f"{base}/healthz", {}),
        "the wall page": ("GET", f"{base}/?token={WALL_TOKEN}", {}),
        "ingest (empty batch)": (
            "POST",
            f"{base}/api/v1/events",
            {"json": [], "headers": {"Authorization": f"Bearer {INGEST_TOKEN}"}},
        ),
    }
    return {
        name: sorted(_timed_ms(method, url, **kwargs) for _ in range(ROUNDS))[ROUNDS // 2]
        for name, (method, url, kwargs) in requests_made.items()
    }


def run(server: Server) -> list[Figure]:
    with served_stack(server.url) as stack:
        baseline = _answers(stack.url)
        held = _hold(urlsplit(stack.url).port or 80, HELD)
        try:
            time.sleep(0.5)
            loaded = _answers(stack.url)
        finally:
            for sock in held:
                sock.close()
    figures = []
    for name, ms in loaded.items():
        figures.append(Figure(server.label, f"{name} with {HELD} slow connections held", ms, "ms"))
        ratio = ms / max(baseline[name], 0.1)
        figures.append(Figure(server.label, "  of it / the same with none held (same run)", ratio, "x"))
    return figures


if __name__ == "__main__":
    main_for(run)
