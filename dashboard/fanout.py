"""Fan-out of the screens' pushes in an app process, one round per room at a time.

The live worker's pushes reach every app process through the Socket.IO message queue in Redis (`workers.screens`).
Sent as they come, a process that cannot finish sending one push to all of a room's screens before the next comes
would queue push after push behind each connection: the delay would grow with the number of screens. Here a room's
push is sent to all its screens in one round; pushes that arrive meanwhile wait, merged into one (JSON Merge Patches
compose: RFC 7386), and go out in the next round. The delay then stays near one round whatever the number of
screens, and a busy process sends fewer, larger updates. Every screen gets the same sequence, so each merged patch
follows the last push it applied (`assets/push.js` checks `base`).

A screen whose connection has not yet written out its last push (a slow network, a busy wall PC) is not queued
push after push either: what it misses waits for it merged into one, sent as soon as its connection has written
what it had, and it never holds more than that one push in memory.
"""

from __future__ import annotations

import threading
from typing import Any

import socketio
from engineio import packet as eio_packet
from json_merge_patch import merge
from socketio import packet

from store.contract.rooms import VIEW_EVENT

CATCH_UP_SECONDS = 0.05  # how often the screens behind are looked at again while any is


class NotComposable(ValueError):
    """Two patches whose composition no single merge patch expresses (a value replaced, then patched as an object)."""


def compose(first: Any, second: Any) -> Any:
    """The one merge patch that does what `first` then `second` do, to any document."""
    if not isinstance(second, dict):
        return second
    if not isinstance(first, dict):
        # `first` replaced the value with a scalar or removed it; patching that as an object starts from an empty
        # object, which a merge patch cannot say without knowing what was there.
        raise NotComposable
    composed = dict(first)
    for key, value in second.items():
        composed[key] = compose(first[key], value) if key in first else value
    return composed


def merged(waiting: dict[str, Any], push: dict[str, Any]) -> dict[str, Any]:
    """A room's waiting push and the one that came after it, as one push: a whole model with the patch applied, or
    one patch from the waiting one's base. A push that does not follow the waiting one (another epoch, a gap) or a
    whole model replaces it; so does a pair that does not compose (the screens then see a gap and fetch the model)."""
    head = {key: push[key] for key in ("room", "epoch", "seq", "served_at")}
    follows = "patch" in push and push["epoch"] == waiting["epoch"] and push["base"] == waiting["seq"]
    if not follows:
        return push
    if "model" in waiting:
        return {**head, "model": merge(waiting["model"], push["patch"])}
    try:
        return {**head, "base": waiting["base"], "patch": compose(waiting["patch"], push["patch"])}
    except NotComposable:
        return push


class RoundsRedisManager(socketio.RedisManager):
    """The app's Redis message queue, sending each room's view-model pushes in rounds (see the module)."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self._lock = threading.Lock()
        self._waiting: dict[tuple[str, str], dict[str, Any]] = {}  # (namespace, room) -> the push to send next
        self._sending: set[tuple[str, str]] = set()  # rooms whose round is going out
        self._behind: dict[tuple[str, str], dict[str, Any]] = {}  # (namespace, sid) -> the push it waits for
        self._catching_up = False

    def _handle_emit(self, message: dict[str, Any]) -> None:
        room, data = message.get("room"), message.get("data")
        if isinstance(data, list) and len(data) == 1:  # the emitting side sends an event's arguments as a list
            data = data[0]
        namespace = message.get("namespace") or "/"
        rooms_push = message.get("event") == VIEW_EVENT and isinstance(room, str) and isinstance(data, dict)
        # A push to one connection (the whole model a screen starts from) goes out at once, as it came.
        if not rooms_push or self.eio_sid_from_sid(room, namespace) is not None:
            super()._handle_emit(message)
            return
        key = (namespace, room)
        with self._lock:
            waiting = self._waiting.get(key)
            self._waiting[key] = data if waiting is None else merged(waiting, data)
            if key in self._sending:
                return
            self._sending.add(key)
        self.server.start_background_task(self._rounds, key)

    def _rounds(self, key: tuple[str, str]) -> None:
        """Send the room's waiting push to all its screens, again while another came during the round."""
        namespace, room = key
        while True:
            with self._lock:
                push = self._waiting.pop(key, None)
                if push is None:
                    self._sending.discard(key)
                    return
            self._round(namespace, room, push)
            self.server.sleep(0)  # let the connections' writers take the round before the next is built

    def _round(self, namespace: str, room: str, push: dict[str, Any]) -> None:
        """`push` to each screen of the room that has written out what it had; merged into what the others wait
        for."""
        packets = self._packets(namespace, push)
        for sid, eio_sid in list(self.get_participants(namespace, room)):
            with self._lock:
                behind = self._behind.get((namespace, sid))
                if behind is not None or self._writing(eio_sid):
                    self._behind[(namespace, sid)] = push if behind is None else merged(behind, push)
                    start = not self._catching_up
                    self._catching_up = True
                    if start:
                        self.server.start_background_task(self._catch_up)
                    continue
            for one in packets:
                self.server._send_eio_packet(eio_sid, one)

    def _catch_up(self) -> None:
        """Send each screen behind the push it waits for once its connection has written what it had."""
        while True:
            self.server.sleep(CATCH_UP_SECONDS)
            with self._lock:
                ready = []
                for namespace, sid in list(self._behind):
                    eio_sid = self.eio_sid_from_sid(sid, namespace)
                    if eio_sid is None:  # gone
                        del self._behind[(namespace, sid)]
                    elif not self._writing(eio_sid):
                        ready.append((namespace, eio_sid, self._behind.pop((namespace, sid))))
                if not self._behind and not ready:
                    self._catching_up = False
                    return
            for namespace, eio_sid, push in ready:
                for one in self._packets(namespace, push):
                    self.server._send_eio_packet(eio_sid, one)

    def _writing(self, eio_sid: str) -> bool:
        """Whether the connection, a WebSocket, still has packets to write out (Engine.IO's queue of it). A
        long-polling connection's packets wait in that queue for its next request, and an upgrading one's for the
        upgrade: they are sent as they come."""
        socket = self.server.eio.sockets.get(eio_sid)
        return socket is not None and socket.upgraded and not socket.upgrading and not socket.queue.empty()

    def _packets(self, namespace: str, push: dict[str, Any]) -> list[eio_packet.Packet]:
        """A push as the Engine.IO packets every screen is sent (encoded once, as `socketio.Manager.emit` does)."""
        encoded = self.server.packet_class(packet.EVENT, namespace=namespace, data=[VIEW_EVENT, push]).encode()
        return [
            eio_packet.Packet(eio_packet.MESSAGE, one) for one in (encoded if isinstance(encoded, list) else [encoded])
        ]
