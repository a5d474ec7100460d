"""The national worker: on each tick, the summaries the provinces' live workers published with their cycles
(`Cycle.summary`) into the national cycle (`store.live.national`), published like a province's and pushed to the
national wall's screens by the same broadcaster.

It reads what the provinces' live workers published, never their streams or whole cycles: the nation costs one
pass over 38 small totals per tick. Only the summaries of provinces that published since the last tick are read
(each publication moves the province's `Keys.cycle_seq`), and a province's alerts are decoded again only when they
or their acknowledgements changed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

import redis

from store.contract import clock as shared_clock
from store.contract.keys import Keys
from store.contract.provinces import NATIONAL
from store.contract.settings import Settings
from store.live.alerts import Alert
from store.live.cycle import Cycle
from store.live.feed_health import FeedRules
from store.live.national import ProvinceSummary, national_alerts, national_cycle, national_reference
from store.servers.command_line import StopSignal
from workers.live import IDLE_CYCLE_SECONDS, socketio_emitter
from workers.screens import ScreenBroadcaster

log = logging.getLogger(__name__)


class NationalRollup:
    """Keeps the provinces' last cycles, and publishes and pushes the national cycle when one of them changed
    (or every `IDLE_CYCLE_SECONDS`, so that feed states and the figures' age move with time)."""

    def __init__(
        self,
        client: redis.Redis,
        push: Callable[[Cycle], object],
        rules: FeedRules = FeedRules(),
        clock: Callable[[], datetime] = shared_clock.now,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self.redis = client
        self.reference = national_reference()
        self.keys = Keys(NATIONAL)
        self.province_keys = {code: Keys(code) for code in self.reference.regencies}
        self.push = push
        self.rules = rules
        self.clock = clock
        self.timer = timer
        self._seen: dict[str, tuple[str | None, dict]] = {}
        self._summaries: dict[str, ProvinceSummary | None] = dict.fromkeys(self.province_keys)
        self._alerts: dict[str, tuple[tuple[str, dict], list[Alert]]] = {}  # by province: (source, alerts)
        self._published_at = float("-inf")

    def refresh(self) -> bool:
        """Read each province's cycle counter and acknowledgements, and the summaries of those whose counter or
        acknowledgements moved since the last read; True when any did."""
        pipe = self.redis.pipeline(transaction=False)
        for keys in self.province_keys.values():
            pipe.get(keys.cycle_seq)
            pipe.hgetall(keys.alert_acks)
        replies = pipe.execute()
        seen = {code: (replies[2 * n], replies[2 * n + 1]) for n, code in enumerate(self.province_keys)}
        changed = [code for code in self.province_keys if self._seen.get(code) != seen[code]]
        if not changed:
            return False
        pipe = self.redis.pipeline(transaction=False)
        for code in changed:
            pipe.hgetall(self.province_keys[code].summary)
        for code, fields in zip(changed, pipe.execute(), strict=True):
            self._seen[code] = seen[code]
            self._summaries[code] = self._summary(code, fields, seen[code][1]) if fields else None
        return True

    def _summary(self, code: str, fields: dict[str, str], raw_acks: dict) -> ProvinceSummary:
        source = (fields["alerts"], raw_acks)
        known = self._alerts.get(code)
        if known is None or known[0] != source:
            known = self._alerts[code] = (source, national_alerts(code, fields["alerts"], raw_acks))
        return ProvinceSummary.from_fields(fields, known[1])

    def tick(self) -> Cycle | None:
        """One tick: the national cycle published and pushed if anything changed; returns it (None: nothing)."""
        self.redis.hset(self.keys.heartbeats, "national", int(shared_clock.timestamp()))
        if not self.refresh() and self.timer() - self._published_at < IDLE_CYCLE_SECONDS:
            return None
        cycle = national_cycle(self._summaries, self.reference, self.clock(), self.rules)
        self.redis.set(self.keys.cycle, cycle.to_json())
        self._published_at = self.timer()
        self.push(cycle)
        return cycle


def run_national(settings: Settings, client: redis.Redis) -> None:
    """Tick until SIGTERM or SIGINT."""
    screens = ScreenBroadcaster(
        client,
        national_reference(),
        socketio_emitter(settings.redis_url or ""),
        tour_mode=settings.tour_mode,
        alert_sound=settings.alert_sound,
    )
    rollup = NationalRollup(client, screens.push, FeedRules.from_settings(settings))
    signals = StopSignal()
    log.info("national worker: %d provinces served of %d", len(settings.provinces), len(rollup.province_keys))
    # As often as a province ticks (TICKS_PER_SECOND): a tick in which no province published costs one round trip.
    tick_seconds = 1.0 / settings.ticks_per_second
    while not signals.stopping:
        started = time.monotonic()
        try:
            rollup.tick()
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            log.warning("national worker: Redis unreachable (%s); retrying", exc)
        time.sleep(max(0.0, tick_seconds - (time.monotonic() - started)))
