"""Socket.IO push: each browser joins the room of the page it shows; workers emit "tick" to rooms."""

from __future__ import annotations

import re
from typing import Any

from flask_socketio import SocketIO, join_room

from dashboard.security import authorize_socket, rule_for_path
from store.auth import Role

PROVINCE_ROOM = "province"
_REGENCY_PATH = re.compile(r"^/kabkota/([0-9]{2}\.[0-9]{2})/?$")


def room_for_path(pathname: str | None) -> str | None:
    """The room of a page path: "/" -> "province", "/kabkota/12.71" -> "regency:12.71", others none."""
    if pathname in ("/", "", None):
        return PROVINCE_ROOM
    match = _REGENCY_PATH.match(pathname)
    return f"regency:{match.group(1)}" if match else None


def register_push(socketio: SocketIO) -> None:
    """Accept a connection only from a signed-in user or wall screen (Socket.IO bypasses Flask's request hooks,
    so the rule table is applied here), and join it to its page's room when it may see that page
    (dash-socketio sends `auth: {"pathname": ...}`)."""

    @socketio.on("connect")
    def _connect(auth: dict[str, Any] | None = None) -> bool | None:
        if not authorize_socket():
            return False
        pathname = (auth or {}).get("pathname")
        room = room_for_path(pathname)
        if room is None:
            return None
        rule = rule_for_path((pathname or "/").rstrip("/") or "/")
        if rule is not None and isinstance(rule.access, Role) and authorize_socket(rule.access):
            join_room(room)
        return None
