"""The WebSocket connections of the web app, as the WSGI server hands them to simple-websocket (through Engine.IO)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

# Where gunicorn (`python wsgi.py`, on gevent) puts a connection's socket. Werkzeug's development server (tests,
# `make run`) writes on blocking sockets with threads, whose `send` waits until all is written.
GUNICORN_SOCKET = "gunicorn.socket"


class WholeWrites:
    """A connection's socket whose `send` writes all it is given, one write at a time.

    simple-websocket (1.1.0) writes each frame with a single `socket.send`, which on gevent writes only part of it
    when the client reads slowly (its buffers full) and drops the rest: the next frame then lands inside this one
    and the screen reads garbage (miguelgrinberg/simple-websocket#45). Its keep-alive pings are written from
    another greenlet, so whole writes are also kept from interleaving.
    """

    def __init__(self, sock: Any) -> None:
        self._sock = sock
        self._lock = threading.Lock()

    def send(self, data: bytes, flags: int = 0) -> int:
        with self._lock:
            self._sock.sendall(data, flags)
        return len(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


def websocket_connections(wsgi_app: Callable[..., Any], compression: bool = False) -> Callable[..., Any]:
    """The WSGI app with its WebSocket connections' sockets writing whole frames (`WholeWrites`), and without
    compression unless asked: simple-websocket accepts permessage-deflate whenever a browser offers it, and would
    then compress each push again for every connection."""

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if not compression:
            environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        if environ.get("HTTP_UPGRADE", "").lower() == "websocket" and GUNICORN_SOCKET in environ:
            environ[GUNICORN_SOCKET] = WholeWrites(environ[GUNICORN_SOCKET])
        return wsgi_app(environ, start_response)

    return serve
