"""Slow and idle clients cannot starve the web app: `python wsgi.py` (gunicorn on gevent) still answers everyone else.

Many more connections than the old server had threads (64) each send half a request and then nothing, as a slow
phone on a bad network or a hostile client does; meanwhile `/healthz`, the wall page and ingest must answer
promptly, and a Socket.IO client must connect. Its WebSocket is not compressed per connection, even when the
client offers permessage-deflate (`WEBSOCKET_COMPRESSION` off, the default).
"""

from __future__ import annotations

import socket

import requests
import socketio
import websocket

from tests.support.faults import app_environment, free_port, spawn, stop, wait_for_app

HELD = 300
WALL_TOKEN = "slow-clients-wall-token-0123456789"
INGEST_TOKEN = "slow-clients-ingest-token-0123456789"


def test_hundreds_of_slow_connections_starve_no_one(redis_process, tmp_path) -> None:
    port = free_port()
    env = app_environment(
        redis_process.url, tmp_path, WALL_TOKENS=f"w:{WALL_TOKEN}", INGEST_TOKENS=f"i:{INGEST_TOKEN}", PORT=str(port)
    )
    app = spawn(["wsgi.py"], tmp_path / "app.log", **env)
    base = f"http://127.0.0.1:{port}"
    held: list[socket.socket] = []
    try:
        wait_for_app(base, app, tmp_path / "app.log")
        for _ in range(HELD):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")  # and never the rest
            held.append(sock)
        assert requests.get(f"{base}/healthz", timeout=3).status_code in (200, 503)
        wall = requests.Session()
        assert wall.get(f"{base}/?token={WALL_TOKEN}", timeout=3).status_code == 200
        ingest = requests.post(
            f"{base}/api/v1/events", json=[], headers={"Authorization": f"Bearer {INGEST_TOKEN}"}, timeout=3
        )
        assert ingest.status_code == 202
        live = socketio.Client(reconnection=False)
        live.connect(
            base, headers={"Cookie": f"session={wall.cookies['session']}"}, auth={"pathname": "/"}, wait_timeout=3
        )
        assert live.connected
        live.disconnect()
        raw = websocket.create_connection(
            f"ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket",
            header=[
                "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits",
                f"Cookie: session={wall.cookies['session']}",
            ],
            timeout=3,
        )
        assert raw.getstatus() == 101 and "sec-websocket-extensions" not in raw.getheaders()
        raw.close()
    finally:
        for sock in held:
            sock.close()
        stop(app)
