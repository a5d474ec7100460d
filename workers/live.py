"""The live handler: apply batches to the live state; on coalesced ticks, publish the operations cycle and push
it to the screens."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

import orjson
import redis
import socketio

from store.contract import clock as shared_clock
from store.contract.keys import LIVE_GROUP, Keys
from store.contract.reference import Reference
from store.contract.settings import Settings
from store.live.cycle import Cycle, CycleRunner
from store.live.feed_health import FeedRules
from store.live.screens import ScreenRules
from store.live.state import APPLIED, CONFLICT, LiveState, Touched
from store.pipeline.streams import dead_letter
from store.servers.redis_clients import message_queue_url
from workers.consumer import Batch, WorkerSpec
from workers.screens import ScreenBroadcaster

log = logging.getLogger(__name__)

SOCKETIO_CHANNEL = "socketio"  # the channel of the app's python-socketio RedisManager (its default)
TICKS_PER_SECOND = (
    10.0  # Settings.ticks_per_second's default (docs/PERFORMANCE_HISTORY.md, "Screens pushed, not polling")
)
CONFLICT_ERROR = "event_id: reused with different content"
IDLE_CYCLE_SECONDS = 2.0  # a quiet feed's cycle: feed health and overdue counts move with time, `as_of` too
# Feed health, backlog baselines and alerts move on a scale of seconds to minutes: under a steady feed they are
# evaluated again at most this often (an acknowledgement at once), while each tick's figures are always fresh.
OPERATIONS_SECONDS = 2.0


class Emitter(Protocol):
    def __call__(self, event: str, payload: dict[str, Any], room: str) -> None: ...


def socketio_emitter(redis_url: str) -> Emitter:
    """Emit through the Redis message queue that the app's flask-socketio server listens on."""
    manager = socketio.RedisManager(message_queue_url(redis_url), channel=SOCKETIO_CHANNEL, write_only=True)

    def emit(event: str, payload: dict[str, Any], room: str) -> None:
        manager.emit(event, payload, namespace="/", room=room)

    return emit


class TickCoalescer:
    """Lets a tick out at once on the first change after a quiet moment (leading edge), then at most
    `per_second` ticks, whatever the event rate: changes meanwhile wait for the next one."""

    def __init__(
        self,
        on_tick: Callable[[], None],
        per_second: float = TICKS_PER_SECOND,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.on_tick = on_tick
        self.interval = 1.0 / per_second
        self.clock = clock
        self.pending = False
        self._last_tick = float("-inf")

    def changed(self) -> None:
        """Note a change of what screens show, and tick if the last tick was long enough ago."""
        self.pending = True
        self.flush()

    def flush(self) -> None:
        """Tick if a change waits and no tick went out less than an interval ago."""
        now = self.clock()
        if not self.pending or now - self._last_tick < self.interval:
            return
        self._last_tick = now
        self.pending = False
        self.on_tick()


class LiveRollup:
    """Batch and idle handler of the "live" consumer group: applies batches, and on each tick publishes the
    operations cycle (`store.live.cycle`) and pushes it to the screens (`push`, an `workers.screens` broadcaster's).
    Every `IDLE_CYCLE_SECONDS` when nothing else did, it publishes and pushes anyway, so that feed health,
    alerts and the figures' age move with time on a quiet feed too. An acknowledgement (announced on the
    alerts channel by the app) is a change of what screens show, so it ticks."""

    def __init__(
        self,
        client: redis.Redis,
        reference: Reference,
        push: Callable[[Cycle], object],
        rules: FeedRules = FeedRules(),
        screen_rules: ScreenRules = ScreenRules(),
        clock: Callable[[], datetime] = shared_clock.now,
        timer: Callable[[], float] = time.monotonic,
        ticks_per_second: float = TICKS_PER_SECOND,
    ) -> None:
        self.redis = client
        self.keys = Keys(reference.province)
        self.state = LiveState(client, reference)
        self.cycles = CycleRunner(self.state, rules, screen_rules)
        self.push = push
        self.ticks = TickCoalescer(self._tick, ticks_per_second, clock=timer)
        self.clock = clock
        self.timer = timer
        self._dirty = True  # the live state changed since the last published cycle
        self._published_at = float("-inf")
        self._operations_at = float("-inf")  # the last cycle that evaluated feed health and alerts
        self._acked = False  # an acknowledgement came since that cycle
        self._touched = Touched()  # what events changed since the last published cycle
        self._last: Cycle | None = None
        self._alerts = client.pubsub(ignore_subscribe_messages=True)
        self._alerts.subscribe(self.keys.alerts_channel)

    def __call__(self, batch: Batch) -> None:
        records = [record for _, record in batch]
        results, touched = self.state.apply_noting(records, self.clock())
        self._touched.add(touched)
        changed = False
        for record, result in zip(records, results, strict=True):
            if result == CONFLICT:
                dead_letter(self.redis, self.keys, record, CONFLICT_ERROR, "rollup")
            elif result == APPLIED:  # a duplicate changes nothing, so it does not tick
                changed = True
        if changed or self._acknowledged():
            self._dirty = True
            self.ticks.changed()
        else:
            self.ticks.flush()

    def idle(self) -> None:
        """Between batches: let a waiting tick out, and publish and push a cycle when none went out for a while."""
        if self._acknowledged():
            self._dirty = True
            self.ticks.changed()
        self.ticks.flush()
        if self.timer() - self._published_at >= IDLE_CYCLE_SECONDS:
            self._publish()
            self.push(self._last)

    def _acknowledged(self) -> bool:
        """Whether someone acknowledged an alert since the last look (other messages are this worker's own)."""
        acked = False
        while (message := self._alerts.get_message()) is not None:
            acked |= orjson.loads(message["data"]).get("reason") == "ack"
        self._acked |= acked
        return acked

    def _tick(self) -> None:
        if self._dirty or self._last is None:
            self._publish()
        self.push(self._last)

    def _publish(self) -> None:
        self._dirty = False
        self._published_at = self.timer()
        operations = self._acked or self._published_at - self._operations_at >= OPERATIONS_SECONDS
        if operations:
            self._operations_at, self._acked = self._published_at, False
        touched, self._touched = self._touched, Touched()
        self._last = self.cycles.publish(self.clock(), operations, touched)


def live_worker(settings: Settings, client: redis.Redis, reference: Reference) -> WorkerSpec:
    """The "live" worker: live state in Redis, the operations cycle, and the screens' view-models pushed to the
    app's Socket.IO rooms."""
    screens = ScreenBroadcaster(
        client,
        reference,
        socketio_emitter(settings.redis_url or ""),
        tour_mode=settings.tour_mode,
        alert_sound=settings.alert_sound,
    )
    rollup = LiveRollup(
        client,
        reference,
        screens.push,
        FeedRules.from_settings(settings),
        ScreenRules.from_settings(settings),
        ticks_per_second=settings.ticks_per_second,
    )
    renamed = rollup.state.rename_legacy_request_keys()
    if renamed:
        log.info("live state: %d requests renamed to their per-regency keys", renamed)
    # A short block lets waiting ticks and idle cycles go out promptly when the feed goes quiet.
    return WorkerSpec(LIVE_GROUP, rollup, on_idle=rollup.idle, block_ms=100)
