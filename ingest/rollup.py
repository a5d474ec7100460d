"""The live handler: apply batches to the live state, then announce what changed with coalesced ticks."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, Protocol

import redis
import socketio

from ingest.worker import Batch, WorkerSpec
from store.calendar import WIB
from store.config import Settings
from store.keys import LIVE_GROUP, Keys
from store.live import APPLIED, CONFLICT, LiveState
from store.reference import Reference
from store.streams import dead_letter

TICK_EVENT = "tick"
PROVINCE_ROOM = "province"
SOCKETIO_CHANNEL = "socketio"  # the channel of the app's python-socketio RedisManager (its default)
TICKS_PER_SECOND = 4
CONFLICT_ERROR = "event_id: reused with different content"


class Emitter(Protocol):
    def __call__(self, event: str, payload: dict[str, Any], room: str) -> None: ...


def regency_room(code: str) -> str:
    return f"regency:{code}"


def socketio_emitter(redis_url: str) -> Emitter:
    """Emit through the Redis message queue that the app's flask-socketio server listens on."""
    manager = socketio.RedisManager(redis_url, channel=SOCKETIO_CHANNEL, write_only=True)

    def emit(event: str, payload: dict[str, Any], room: str) -> None:
        manager.emit(event, payload, namespace="/", room=room)

    return emit


class TickCoalescer:
    """Collects changed regencies and emits at most `per_second` ticks per room, whatever the event rate."""

    def __init__(
        self,
        emit: Emitter,
        per_second: float = TICKS_PER_SECOND,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.emit = emit
        self.interval = 1.0 / per_second
        self.clock = clock
        self.pending: set[str] = set()
        self._last_emit = float("-inf")

    def changed(self, codes: Iterable[str]) -> None:
        """Note changed regencies, and emit if the last tick was long enough ago."""
        self.pending.update(codes)
        self.flush()

    def flush(self) -> None:
        """Emit the accumulated changes unless a tick went out less than an interval ago."""
        now = self.clock()
        if not self.pending or now - self._last_emit < self.interval:
            return
        self._last_emit = now
        codes = sorted(self.pending)
        self.pending.clear()
        # Milliseconds: a page ignores a tick equal to the one before, so two in one second must differ.
        payload = {"as_of": datetime.now(WIB).isoformat(timespec="milliseconds"), "regencies": codes}
        self.emit(TICK_EVENT, payload, PROVINCE_ROOM)
        for code in codes:
            self.emit(TICK_EVENT, payload, regency_room(code))


class LiveRollup:
    """Batch handler of the "live" consumer group."""

    def __init__(
        self,
        client: redis.Redis,
        reference: Reference,
        ticks: TickCoalescer,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.redis = client
        self.keys = Keys(reference.province)
        self.state = LiveState(client, reference)
        self.ticks = ticks
        self.clock = clock

    def __call__(self, batch: Batch) -> None:
        records = [record for _, record in batch]
        results = self.state.apply(records, self.clock())
        changed = set()
        for record, result in zip(records, results, strict=True):
            if result == CONFLICT:
                dead_letter(self.redis, self.keys, record, CONFLICT_ERROR, "rollup")
            elif result == APPLIED:  # a duplicate changes nothing, so it is not announced
                changed.add(json.loads(record)["regency_code"])
        self.ticks.changed(changed)


def live_worker(settings: Settings, client: redis.Redis, reference: Reference) -> WorkerSpec:
    """The "live" worker: live state in Redis and ticks to the app."""
    ticks = TickCoalescer(socketio_emitter(settings.redis_url or ""))
    # A short block lets pending ticks go out promptly when the feed goes quiet.
    return WorkerSpec(LIVE_GROUP, LiveRollup(client, reference, ticks), on_idle=ticks.flush, block_ms=250)
