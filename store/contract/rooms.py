"""Socket.IO rooms (one per page and language, under their province's name) and the events pushed to them,
named in one place for the live worker that pushes to them and the app whose screens join them."""

from __future__ import annotations

import re

VIEW_EVENT = "view"  # the Socket.IO event carrying a room's view-model, whole or as a patch
ALERTS_EVENT = "alerts"  # the Socket.IO event telling `/ops` pages that the alerts or an acknowledgement changed
# The room of the pages that follow the alerts (`/ops`): the live worker sends it ALERTS_EVENT, and no view-model.
ALERTS_ROOM = "alerts"
_ROOM = re.compile(r"^(province|regency:[0-9]{2}\.[0-9]{2}):(id|en)$")


def province_room(lang: str) -> str:
    """The province wall's room in `lang`."""
    return f"province:{lang}"


def regency_room(code: str, lang: str) -> str:
    """The room of a regency's drill-down page in `lang`."""
    return f"regency:{code}:{lang}"


def socket_room(province: str, room: str) -> str:
    """The Socket.IO room of a province's room: one Socket.IO server carries every province of a deployment."""
    return f"p{province}/{room}"


def parse_room(room: str) -> tuple[str | None, str] | None:
    """(regency code or None for the province, language) of a room name; None when it names no room."""
    match = _ROOM.match(room)
    if match is None:
        return None
    page, lang = match.groups()
    return (None if page == "province" else page.split(":", 1)[1]), lang
