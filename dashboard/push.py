"""Socket.IO push: each browser joins the room of the page it shows; workers emit "tick" to rooms.

Socket.IO bypasses Flask's request hooks, so the rule table is applied in the connect handler, and the connection
is re-checked every second afterwards: signing out, disabling a user or revoking a wall token closes its open
connections within a second.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

import flask
import redis
from flask_socketio import SocketIO, join_room

from dashboard.access_rules import rule_for_path
from dashboard.security import Principal, authorize_socket, current_principal, still_valid
from store.auth import Role

PROVINCE_ROOM = "province"
RECHECK_SECONDS = 1.0
_REGENCY_PATH = re.compile(r"^/kabkota/([0-9]{2}\.[0-9]{2})/?$")
log = logging.getLogger(__name__)


def room_for_path(pathname: str | None) -> str | None:
    """The room of a page path: "/" -> "province", "/kabkota/12.71" -> "regency:12.71", others none."""
    if pathname in ("/", "", None):
        return PROVINCE_ROOM
    match = _REGENCY_PATH.match(pathname)
    return f"regency:{match.group(1)}" if match else None


class OpenSockets:
    """Who holds each open Socket.IO connection of this process, re-checked every `RECHECK_SECONDS`."""

    def __init__(self, socketio: SocketIO) -> None:
        self.socketio = socketio
        self.holders: dict[str, Principal] = {}
        self._lock = threading.Lock()
        self._app: flask.Flask | None = None

    def add(self, sid: str, principal: Principal) -> bool:
        """Record a new connection; False when `sid` is already connected (a client emitting "connect" again)."""
        with self._lock:
            if sid in self.holders:
                return False
            self.holders[sid] = principal
            if self._app is None:
                self._app = flask.current_app._get_current_object()
                self.socketio.start_background_task(self._recheck_forever)
        return True

    def remove(self, sid: str) -> None:
        with self._lock:
            self.holders.pop(sid, None)

    def recheck(self) -> list[str]:
        """Disconnect every connection whose session or token is no longer valid; returns their ids."""
        with self._lock:
            sids, principals = list(self.holders), list(self.holders.values())
        if not sids:
            return []
        assert self._app is not None
        with self._app.app_context():
            valid = still_valid(principals)
        gone = [(sid, p) for sid, p, ok in zip(sids, principals, valid, strict=True) if not ok]
        for sid, principal in gone:
            log.info("closing Socket.IO connection %s of %s: signed out or revoked", sid, principal.name)
            self.remove(sid)
            self.socketio.server.disconnect(sid, namespace="/")
        return [sid for sid, _ in gone]

    def _recheck_forever(self) -> None:
        while True:
            self.socketio.sleep(RECHECK_SECONDS)
            try:
                self.recheck()
            except redis.RedisError as exc:  # the pages' own checks answer 503 meanwhile
                log.warning("cannot re-check Socket.IO connections: %s", exc)


def register_push(socketio: SocketIO) -> OpenSockets:
    """Accept a connection only from a signed-in user or wall screen, and join it to its page's room when it may
    see that page (dash-socketio sends `auth: {"pathname": ...}`). The connect handler runs once per connection."""
    sockets = OpenSockets(socketio)

    @socketio.on("connect")
    def _connect(auth: dict[str, Any] | None = None) -> bool | None:
        if not authorize_socket():
            return False
        if not sockets.add(flask.request.sid, current_principal()):
            return None  # already connected: a repeated "connect" from the client changes nothing
        pathname = (auth or {}).get("pathname") if isinstance(auth, dict) else None
        room = room_for_path(pathname if isinstance(pathname, str) else None)
        if room is None:
            return None
        rule = rule_for_path((pathname or "/").rstrip("/") or "/")
        if rule is not None and isinstance(rule.access, Role) and authorize_socket(rule.access):
            join_room(room)
        return None

    @socketio.on("disconnect")
    def _disconnect(*_reason: Any) -> None:
        sockets.remove(flask.request.sid)

    return sockets
