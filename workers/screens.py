"""Push to screens: once per tick, the view-model of each room that someone watches, as a JSON Merge Patch
(RFC 7386) against the one before, through the Socket.IO message queue in Redis.

Each push carries the worker's `epoch` (its start) and the room's sequence number `seq`; a patch says the `base`
it applies to. A screen whose last push is not that base (it missed one, or the worker restarted) asks the app
for the whole model, which is kept in Redis (`Keys.screen_model`) for that and for screens that open.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

import orjson
import redis
from json_merge_patch import create_patch

from dashboard.screen_model import room_model
from store.contract import clock as shared_clock
from store.contract.keys import Keys
from store.contract.reference import Reference
from store.contract.rooms import ALERTS_EVENT, ALERTS_ROOM, VIEW_EVENT, socket_room
from store.live.cycle import Cycle

MODEL_TTL_SECONDS = 3600  # a room nobody watches any more keeps its last model this long
# A push that would only move the figures' time waits this long after the room's last push: screens call figures
# stale after a minute, and an idle wall then does nothing most seconds.
HEARTBEAT_SECONDS = 10.0
# Which rooms are watched is read again at most this often (the app renews it each second): a screen that opens
# meanwhile already has the whole model from the app, and the worker's next patch finds it.
WATCHED_SECONDS = 1.0


def watched_rooms(client: redis.Redis, keys: Keys, now: float) -> list[str]:
    """The rooms some app process has a screen in (renewed each second by `dashboard.push`)."""
    rooms = client.zrangebyscore(keys.screens_watched, now, "+inf")
    return list(rooms)


class ScreenBroadcaster:
    """Renders each watched room's model from a cycle and pushes what changed since the room's last push."""

    def __init__(
        self,
        client: redis.Redis,
        reference: Reference,
        emit: Callable[[str, dict[str, Any], str], None],
        tour_mode: str = "all",
        alert_sound: bool = False,
        clock: Callable[[], float] = shared_clock.timestamp,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self.redis = client
        self.reference = reference
        self.keys = Keys(reference.province)
        self.emit = emit
        self.tour_mode = tour_mode
        self.alert_sound = alert_sound
        self.clock = clock
        self.epoch = int(clock() * 1000)
        self.models: dict[str, dict[str, Any]] = {}
        self.seq: dict[str, int] = {}
        self.sent_at: dict[str, float] = {}
        self.alerts_told: tuple[tuple[str, str, str | None], ...] | None = None
        self.timer = timer
        self._watched: tuple[float, list[str]] = (float("-inf"), [])  # when read, and the rooms

    def push(self, cycle: Cycle, rooms: Iterable[str] | None = None) -> list[str]:
        """Push `cycle` to `rooms` (default: every watched room), and tell the pages that follow the alerts when
        they changed; returns the rooms that were sent a view-model."""
        self._tell_alerts(cycle)
        now = self.clock()
        rooms = self._watched_rooms(now) if rooms is None else list(rooms)
        pipe = self.redis.pipeline(transaction=False)
        messages = []
        for room in rooms:
            model = room_model(cycle, room, self.reference, self.tour_mode, self.alert_sound)
            if model is None:
                continue
            previous = self.models.get(room)
            patch = create_patch(previous, model) if previous is not None else None
            if previous is not None and (not patch or self._only_time(room, patch, now)):
                continue
            seq = self.seq[room] = self.seq.get(room, 0) + 1
            self.models[room] = model
            head = {"room": room, "epoch": self.epoch, "seq": seq, "served_at": round(now * 1000)}
            whole = {**head, "model": model}
            pipe.set(self.keys.screen_model(room), orjson.dumps(whole), ex=MODEL_TTL_SECONDS)
            messages.append((room, whole if patch is None else {**head, "base": seq - 1, "patch": patch}))
            self.sent_at[room] = now
        for room in set(self.models) - set(rooms):  # unwatched: a screen that comes back starts from a whole model
            del self.models[room]
            self.sent_at.pop(room, None)
        if messages:
            pipe.execute()  # the whole model is stored before its patch is out, so a screen that asks finds it
            for room, message in messages:
                self.emit(VIEW_EVENT, message, socket_room(self.reference.province, room))
        return [room for room, _ in messages]

    def _watched_rooms(self, now: float) -> list[str]:
        read_at, rooms = self._watched
        if self.timer() - read_at >= WATCHED_SECONDS:
            rooms = watched_rooms(self.redis, self.keys, now)
            self._watched = (self.timer(), rooms)
        return rooms

    def _tell_alerts(self, cycle: Cycle) -> None:
        """ALERTS_EVENT to the province's `/ops` pages when an alert came, went, changed severity or was
        acknowledged since the last cycle: the one path by which an acknowledgement reaches every screen."""
        told = tuple((alert.id, alert.severity, alert.acknowledged_by) for alert in cycle.alerts)
        if told != self.alerts_told:
            self.alerts_told = told
            self.emit(ALERTS_EVENT, {}, socket_room(self.reference.province, ALERTS_ROOM))

    def _only_time(self, room: str, patch: dict[str, Any], now: float) -> bool:
        """Whether `patch` moves nothing but the figures' time, within `HEARTBEAT_SECONDS` of the last push."""
        return set(patch) == {"as_of"} and now - self.sent_at.get(room, float("-inf")) < HEARTBEAT_SECONDS
