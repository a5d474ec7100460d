"""Engine.IO handshakes only from those signed in.

Socket.IO's middleware answers `/socket.io/` before Flask's request hooks, and Engine.IO opens a session at the
handshake (kept until its pings time out), before the Socket.IO `connect` handler asks who it is: anyone could
hold sessions open by the thousand. A handshake (a `/socket.io/` request without `sid`) is answered here, 401,
unless its session cookie is a signed-in user's or wall screen's; the `connect` handler then checks the page asked
for, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

import flask
import redis

from dashboard.security.principals import authorize_socket

SOCKET_PATH = "/socket.io/"  # Engine.IO's default path, as flask-socketio serves it
RETRY_AFTER_SECONDS = 5


def signed_in_handshakes(
    wsgi_app: Callable[..., Iterable[bytes]], server: flask.Flask
) -> Callable[..., Iterable[bytes]]:
    """`wsgi_app` (Socket.IO's middleware and what it wraps) with every Engine.IO handshake checked first."""

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if _is_handshake(environ):
            refusal = _refusal(server, environ)
            if refusal is not None:
                return refusal(environ, start_response)
        return wsgi_app(environ, start_response)

    return serve


def _is_handshake(environ: dict[str, Any]) -> bool:
    return environ.get("PATH_INFO", "").startswith(SOCKET_PATH) and "sid" not in parse_qs(
        environ.get("QUERY_STRING", "")
    )


def _refusal(server: flask.Flask, environ: dict[str, Any]) -> flask.Response | None:
    """None when the handshake's session is a signed-in user's or screen's; else the answer to give."""
    with server.request_context(environ):
        try:
            if authorize_socket():
                return None
            answer = flask.jsonify({"error": "sign in before connecting"})
            answer.status_code = 401
        except (redis.ConnectionError, redis.TimeoutError):  # sessions live in Redis
            answer = flask.jsonify({"error": "service unavailable"})
            answer.status_code = 503
            answer.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return answer
