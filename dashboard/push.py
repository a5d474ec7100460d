"""Socket.IO push: each browser joins the room of the page it shows in its language (`store.contract.rooms`), gets that
room's whole view-model at once, then the live worker's patches (`workers.screens`, event "view").

Socket.IO bypasses Flask's request hooks, so the rule table is applied in the connect handler, and the connection
is re-checked every second afterwards: signing out, disabling a user or revoking a wall token closes its open
connections within a second. Each second, too, this process tells the live worker which rooms it has screens in
(`Keys.screens_watched`): the worker renders those and no others. The end of a connection is recorded for the
screen that reported over it (`store.live.screens`).
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

import flask
import redis
from flask_socketio import SocketIO, emit, join_room

from dashboard.i18n import DEFAULT_LANG, LANGS
from dashboard.screen_model import current_push
from dashboard.security.principals import Principal, authorize_socket, current_principal, still_valid
from dashboard.security.rules import rule_for_path
from dashboard.services import services
from dashboard.tenancy import split_province
from store.access.models import Role, within
from store.contract import clock
from store.contract.rooms import ALERTS_ROOM, VIEW_EVENT, province_room, regency_room, socket_room
from store.live.screens import ScreenRegistry
from store.live.state import LiveState

RECHECK_SECONDS = 1.0
WATCH_SECONDS = 5.0  # a room stays watched this long after this process last renewed it
_REGENCY_PATH = re.compile(r"^/kabkota/([0-9]{2}\.[0-9]{2})/?$")
FOLLOW_ALERTS = {"/ops"}  # the pages told when the alerts change (`store.contract.rooms.ALERTS_ROOM`)
log = logging.getLogger(__name__)


def room_for_path(pathname: str | None, lang: str | None = DEFAULT_LANG) -> str | None:
    """The room of a page path in `lang`: "/" -> "province:id", "/kabkota/12.71" -> "regency:12.71:id"."""
    lang = lang if lang in LANGS else DEFAULT_LANG
    if pathname in ("/", "", None):
        return province_room(lang)
    match = _REGENCY_PATH.match(pathname)
    return regency_room(match.group(1), lang) if match else None


def starting_push(live: LiveState, room: str) -> dict[str, Any] | None:
    """The whole current model of a province's `room` for a screen that opens or asks again
    (`screen_model.current_push`)."""
    settings = services().settings
    return current_push(live.redis, live.reference, room, settings.tour_mode, settings.alert_sound)


class OpenSockets:
    """Who holds each open Socket.IO connection of this process, re-checked every `RECHECK_SECONDS`."""

    def __init__(self, socketio: SocketIO) -> None:
        self.socketio = socketio
        self.holders: dict[str, Principal] = {}
        self.rooms: dict[str, tuple[str, str]] = {}  # sid -> (province, room)
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

    def remove(self, sid: str) -> str | None:
        """Forget a connection; returns the province of the room it had joined, if any."""
        with self._lock:
            self.holders.pop(sid, None)
            joined = self.rooms.pop(sid, None)
        return joined[0] if joined else None

    def joined(self, sid: str, province: str, room: str) -> None:
        """Record the room of a province a connection joined, and mark it watched at once."""
        with self._lock:
            self.rooms[sid] = (province, room)
        self.watch({(province, room)})

    def watch(self, rooms: set[tuple[str, str]]) -> None:
        """Tell each province's live worker that this process has screens in these (province, room) for the next
        `WATCH_SECONDS`."""
        if not rooms:
            return
        lives = services().lives
        until = clock.timestamp() + WATCH_SECONDS
        with next(iter(lives.values())).redis.pipeline(transaction=False) as pipe:
            for province in {province for province, _ in rooms}:
                watched = [room for code, room in rooms if code == province]
                pipe.zadd(lives[province].keys.screens_watched, dict.fromkeys(watched, until))
            pipe.execute()

    def recheck(self) -> list[str]:
        """Disconnect every connection whose session or token is no longer valid; returns their ids."""
        with self._lock:
            sids, principals = list(self.holders), list(self.holders.values())
        if not sids:
            return []
        assert self._app is not None
        with self._app.app_context():
            valid = still_valid(principals)
            with self._lock:
                rooms = set(self.rooms.values())
            self.watch(rooms)
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
    see that page (`assets/live_socket.js`, and dash-socketio on `/ops`, send `auth: {"pathname": ...}`): a
    screen's view-model room, or for `/ops` the room told when the alerts change. The connect handler runs once per
    connection."""
    sockets = OpenSockets(socketio)

    @socketio.on("connect")
    def _connect(auth: dict[str, Any] | None = None) -> bool | None:
        if not authorize_socket():
            return False
        if not sockets.add(flask.request.sid, current_principal()):
            return None  # already connected: a repeated "connect" from the client changes nothing
        asked = auth if isinstance(auth, dict) else {}
        pathname = asked.get("pathname") if isinstance(asked.get("pathname"), str) else "/"
        province, pathname = split_province(pathname)
        lives = services().lives
        province = services().settings.province if province is None else province
        path = (pathname or "/").rstrip("/") or "/"
        if province not in lives or not within(current_principal().scope, province):
            return None
        rule = rule_for_path(path)
        if rule is None or not isinstance(rule.access, Role) or not authorize_socket(rule.access):
            return None
        if path in FOLLOW_ALERTS:
            join_room(socket_room(province, ALERTS_ROOM))
            return None
        room = room_for_path(pathname, asked.get("lang") if isinstance(asked.get("lang"), str) else None)
        if room is not None:
            join_room(socket_room(province, room))
            sockets.joined(flask.request.sid, province, room)
            whole = starting_push(lives[province], room)
            if whole is not None:
                emit(VIEW_EVENT, whole)
        return None

    @socketio.on("disconnect")
    def _disconnect(*_reason: Any) -> None:
        sid = flask.request.sid
        province = sockets.remove(sid)
        if province is None:
            return
        live = services().lives[province]
        try:
            ScreenRegistry(live.redis, live.keys).disconnected(sid, clock.timestamp())
        except redis.RedisError as exc:  # its reports stop as well: the screen reads silent instead
            log.warning("cannot record the end of screen connection %s: %s", sid, exc)

    return sockets
