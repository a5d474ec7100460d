"""Socket.IO push: each browser joins the room of the page it shows; workers emit "tick" to rooms."""

from __future__ import annotations

import re
from typing import Any

from flask_socketio import SocketIO, join_room

PROVINCE_ROOM = "province"
_REGENCY_PATH = re.compile(r"^/kabkota/([0-9]{2}\.[0-9]{2})/?$")


def room_for_path(pathname: str | None) -> str | None:
    """The room of a page path: "/" -> "province", "/kabkota/12.71" -> "regency:12.71", others none."""
    if pathname in ("/", "", None):
        return PROVINCE_ROOM
    match = _REGENCY_PATH.match(pathname)
    return f"regency:{match.group(1)}" if match else None


def register_push(socketio: SocketIO) -> None:
    """Join a connecting client to its page's room (dash-socketio sends `auth: {"pathname": ...}`)."""

    @socketio.on("connect")
    def _join(auth: dict[str, Any] | None = None) -> None:
        room = room_for_path((auth or {}).get("pathname"))
        if room:
            join_room(room)
