"""Lingering close: an answer given before the request's body was read (a 413, a 401) reaches the client.

A client such as `requests` sends the whole body before it reads the answer. When the server closes the connection
with part of the body unread, the kernel resets it, and the client sees "connection reset" instead of our 413.
gunicorn drains a leftover body only between two requests of a kept-alive connection, and within its keep-alive
timeout (2 s). So, as nginx does, the rest of the body is read and dropped after the answer is written, for at most
`LINGER_SECONDS` and `LINGER_BYTES`; then the connection closes cleanly.
"""

from __future__ import annotations

from typing import Any

import flask
import gevent
from gunicorn.http.errors import ParseException

from dashboard.websockets import GUNICORN_SOCKET

LINGER_SECONDS = 30  # nginx's lingering_time
LINGER_BYTES = 256 * 1024 * 1024
CHUNK_BYTES = 64 * 1024


def linger_after_answer(response: flask.Response) -> flask.Response:
    """After-request hook: drain what is left of a request body once `response` is written. Only under gunicorn,
    whose `wsgi.input` ends with the body (Werkzeug's development server hands the raw socket)."""
    environ = flask.request.environ
    has_body = flask.request.content_length or "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    if has_body and GUNICORN_SOCKET in environ:
        response.call_on_close(lambda: drain(environ["wsgi.input"]))
    return response


def drain(stream: Any) -> int:
    """Read and drop `stream` to its end, within the bounds; the bytes read."""
    read = 0
    with gevent.Timeout(LINGER_SECONDS, False):
        try:
            while read < LINGER_BYTES:
                chunk = stream.read(CHUNK_BYTES)
                if not chunk:
                    break
                read += len(chunk)
        except (OSError, ParseException):  # the client went away, or sent a broken chunk: it closes anyway
            pass
    return read
