"""Fan-out of the screens' pushes in an app process, one round per room at a time.

The live worker's pushes reach every app process through the Socket.IO message queue in Redis (`workers.screens`).
Sent as they come, a process that cannot finish sending one push to all of a room's screens before the next comes
would queue push after push behind each connection: the delay would grow with the number of screens. Here a room's
push is sent to all its screens in one round; pushes that arrive meanwhile wait, merged into one (JSON Merge Patches
compose: RFC 7386), and go out in the next round. The delay then stays near one round whatever the number of
screens, and a busy process sends fewer, larger updates. Every screen gets the same sequence, so each merged patch
follows the last push it applied (`assets/push.js` checks `base`).
"""

from __future__ import annotations

import threading
from typing import Any

import socketio
from json_merge_patch import merge

from store.contract.rooms import VIEW_EVENT


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

    def _handle_emit(self, message: dict[str, Any]) -> None:
        room, data = message.get("room"), message.get("data")
        if message.get("event") != VIEW_EVENT or not isinstance(room, str) or not isinstance(data, dict):
            super()._handle_emit(message)
            return
        key = (message.get("namespace") or "/", room)
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
            socketio.Manager.emit(self, VIEW_EVENT, push, namespace=namespace, room=room)
            self.server.sleep(0)  # let the connections' writers take the round before the next is built
