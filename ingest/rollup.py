"""The live handler: apply batches to the live state, publish the operations cycle, then announce what changed
with coalesced ticks."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, Protocol

import redis
import socketio

from ingest.worker import Batch, WorkerSpec
from store.calendar import WIB
from store.config import Settings
from store.cycle import Cycle, CycleRunner
from store.feed_health import FeedRules
from store.keys import LIVE_GROUP, Keys
from store.live import APPLIED, CONFLICT, LiveState
from store.reference import Reference
from store.streams import dead_letter

log = logging.getLogger(__name__)

TICK_EVENT = "tick"
PROVINCE_ROOM = "province"
SOCKETIO_CHANNEL = "socketio"  # the channel of the app's python-socketio RedisManager (its default)
TICKS_PER_SECOND = 4
CONFLICT_ERROR = "event_id: reused with different content"
IDLE_CYCLE_SECONDS = 2.0  # a quiet feed's cycle: feed health and overdue counts move with time


class Emitter(Protocol):
    def __call__(self, event: str, payload: dict[str, Any], room: str) -> None: ...


def _nothing() -> None:
    pass


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
        self.province_pending = False
        self._last_emit = float("-inf")

    def changed(self, codes: Iterable[str], before_tick: Callable[[], None] = _nothing) -> None:
        """Note changed regencies, and emit if the last tick was long enough ago."""
        self.pending.update(codes)
        self.flush(before_tick)

    def province_changed(self, before_tick: Callable[[], None] = _nothing) -> None:
        """Note a change of the province's view alone (an alert or a feed state that changed with time)."""
        self.province_pending = True
        self.flush(before_tick)

    def flush(self, before_tick: Callable[[], None] = _nothing) -> None:
        """Emit the accumulated changes unless a tick went out less than an interval ago; `before_tick` runs
        right before a tick goes out (the live worker publishes there what the tick announces)."""
        now = self.clock()
        if not (self.pending or self.province_pending) or now - self._last_emit < self.interval:
            return
        self._last_emit = now
        before_tick()
        codes = sorted(self.pending)
        self.pending.clear()
        self.province_pending = False
        # Milliseconds: a page ignores a tick equal to the one before, so two in one second must differ.
        payload = {"as_of": datetime.now(WIB).isoformat(timespec="milliseconds"), "regencies": codes}
        self.emit(TICK_EVENT, payload, PROVINCE_ROOM)
        for code in codes:
            self.emit(TICK_EVENT, payload, regency_room(code))


class LiveRollup:
    """Batch and idle handler of the "live" consumer group: applies batches, publishes the operations cycle
    (`store.cycle`) right before each tick, and every `IDLE_CYCLE_SECONDS` when nothing else did, so that
    feed health and alerts move with time on a quiet feed too (with a tick when what screens show changed)."""

    def __init__(
        self,
        client: redis.Redis,
        reference: Reference,
        ticks: TickCoalescer,
        rules: FeedRules = FeedRules(),
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self.redis = client
        self.keys = Keys(reference.province)
        self.state = LiveState(client, reference)
        self.cycles = CycleRunner(self.state, rules)
        self.ticks = ticks
        self.clock = clock
        self.timer = timer
        self._dirty = True  # the live state changed since the last published cycle
        self._published_at = float("-inf")
        self._last: Cycle | None = None

    def __call__(self, batch: Batch) -> None:
        records = [record for _, record in batch]
        results, regencies = self.state.apply_per_regency(records, self.clock())
        changed = set()
        for record, result, regency in zip(records, results, regencies, strict=True):
            if result == CONFLICT:
                dead_letter(self.redis, self.keys, record, CONFLICT_ERROR, "rollup")
            elif result == APPLIED:  # a duplicate changes nothing, so it is not announced
                changed.add(regency)
        self._dirty |= bool(changed)
        self.ticks.changed(changed, self._publish_if_dirty)

    def idle(self) -> None:
        """Between batches: let pending ticks out, and publish a cycle when none went out for a while."""
        self.ticks.flush(self._publish_if_dirty)
        if self.timer() - self._published_at < IDLE_CYCLE_SECONDS:
            return
        before = self._last
        self._publish()
        # Compared here only: a tick after a batch announces new figures anyway, so its cycle is not compared.
        if before is None or self._last.content() != before.content():
            self.ticks.province_changed(self._publish_if_dirty)

    def _publish_if_dirty(self) -> None:
        if self._dirty:
            self._publish()

    def _publish(self) -> None:
        self._dirty = False
        self._published_at = self.timer()
        self._last = self.cycles.publish(self.clock())


def live_worker(settings: Settings, client: redis.Redis, reference: Reference) -> WorkerSpec:
    """The "live" worker: live state in Redis, the operations cycle and ticks to the app."""
    ticks = TickCoalescer(socketio_emitter(settings.redis_url or ""))
    rollup = LiveRollup(client, reference, ticks, FeedRules.from_settings(settings))
    renamed = rollup.state.rename_legacy_request_keys()
    if renamed:
        log.info("live state: %d requests renamed to their per-regency keys", renamed)
    # A short block lets pending ticks and idle cycles go out promptly when the feed goes quiet.
    return WorkerSpec(LIVE_GROUP, rollup, on_idle=rollup.idle, block_ms=250)
