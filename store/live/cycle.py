"""The operations cycle: the live snapshot with feed health and "no data" marks, backlog baselines, alerts and
the 24-hour trend. The live worker runs it right before each tick (and every few seconds when the feed is
quiet) and publishes the result in Redis, so every screen of every app process reads one finished cycle
instead of computing its own on each refresh.

The cycle's `as_of` is the time the worker computed it: when the worker stops, the screens' figures age and
read as stale, as they should. Acknowledgements are applied when the cycle is read, so an acknowledgement
shows on every screen at once, without waiting for the next cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
import redis

from store.contract import clock
from store.contract.keys import Keys
from store.live.alerts import Alert, AlertBook, BacklogBaseline, evaluate, stored_form, with_acks
from store.live.feed_health import FeedHealth, FeedMonitor, FeedRules, apply_feed_state
from store.live.screens import ScreenRegistry, ScreenRules, screen_alerts
from store.live.state import LiveState


class NoCycleYet(LookupError):
    """No live worker has published a cycle in this Redis yet."""


@dataclass(frozen=True)
class Cycle:
    """One cycle: the snapshot (without `by_opd`) with feed state applied, the active alerts (most severe
    first), and the province's requests received and resolved per hour over the last 24 hours."""

    snapshot: dict[str, Any]
    alerts: list[Alert]
    hourly: dict[str, list]

    @property
    def health(self) -> dict[str, FeedHealth]:
        """Feed health per regency (each regency of the snapshot carries its own as `feed`)."""
        return {
            code: FeedHealth.from_dict(code, figures["feed"]) for code, figures in self.snapshot["regencies"].items()
        }

    def content(self) -> bytes:
        """What the screens show of this cycle, without its time and the feeds' ages (which change on every
        cycle; `/ops` shows them on its own interval): equal when nothing shown has changed."""
        regencies = {
            code: {**figures, "feed": figures["feed"]["state"]} for code, figures in self.snapshot["regencies"].items()
        }
        alerts = [stored_form(alert) for alert in self.alerts]
        return orjson.dumps([self.snapshot["totals"], regencies, alerts, self.hourly])

    def to_json(self) -> bytes:
        # orjson: a 514-regency cycle is about 700 KiB, which the standard library takes 3 to 10 times longer on.
        alerts = [stored_form(alert) for alert in self.alerts]
        return orjson.dumps({"snapshot": self.snapshot, "alerts": alerts, "hourly": self.hourly})

    def summary(self) -> dict[str, bytes]:
        """What the nation reads of this cycle (`Keys.summary`): the figures, and the alerts apart, so that a reader
        decodes the alerts again only when they changed."""
        figures = {
            "as_of": self.snapshot["as_of"],
            "totals": self.snapshot["totals"],
            "regencies": len(self.snapshot["regencies"]),
            "hourly": self.hourly,
        }
        return {"figures": orjson.dumps(figures), "alerts": orjson.dumps([stored_form(a) for a in self.alerts])}

    @classmethod
    def from_json(cls, text: str, raw_acks: dict) -> Cycle:
        data = orjson.loads(text)
        alerts = with_acks([Alert.from_dict(alert) for alert in data["alerts"]], raw_acks)
        return cls(snapshot=data["snapshot"], alerts=alerts, hourly=data["hourly"])


class CycleRunner:
    """Runs the cycle over the live state and publishes it (the live worker's)."""

    def __init__(self, live: LiveState, rules: FeedRules = FeedRules(), screens: ScreenRules = ScreenRules()) -> None:
        client = live.redis
        self.live = live
        self.keys = Keys(live.reference.province)
        self.monitor = FeedMonitor(client, self.keys, rules)
        self.baseline = BacklogBaseline(client, self.keys)
        self.book = AlertBook(client, self.keys)
        self.screens = ScreenRegistry(client, self.keys, screens)
        self._operations: tuple[dict[str, FeedHealth], list[Alert]] | None = None  # the last run's health, alerts

    def run(self, now: datetime | None = None, operations: bool = True) -> Cycle:
        """The snapshot with its feeds' state. With `operations` (and always the first time): sample feeds (at
        most once per interval across processes), mark silent regencies, refresh alerts (the regencies' and the
        screens'); without, the feed health and alerts of the last run that did stand, and only the figures move."""
        now = now or clock.now()
        reference = self.live.reference
        if not operations and self._operations is not None:
            health, alerts = self._operations
            return Cycle(apply_feed_state(self.live.snapshot(now, by_opd=False), health), alerts, self.live.hourly(now))
        self.monitor.observe(now)
        health = self.monitor.health(list(reference.regencies), now)
        snapshot = apply_feed_state(self.live.snapshot(now, by_opd=False), health)
        self.baseline.update(snapshot, now)
        raised = evaluate(snapshot, self.baseline.load(), reference, now)
        stamp = now.timestamp()
        raised += screen_alerts(self.screens.screens(stamp), stamp, self.screens.rules)
        alerts = self.book.refresh(raised, now)
        self._operations = (health, alerts)
        return Cycle(snapshot, alerts, self.live.hourly(now))

    def publish(self, now: datetime | None = None, operations: bool = True) -> Cycle:
        """Run the cycle (`run`) and make it the one every screen reads."""
        cycle = self.run(now, operations)
        pipe = self.live.redis.pipeline(transaction=False)
        pipe.set(self.keys.cycle, cycle.to_json())
        pipe.hset(self.keys.summary, mapping=cycle.summary())
        pipe.incr(self.keys.cycle_seq)
        pipe.execute()
        return cycle


def published_cycle(client: redis.Redis, keys: Keys) -> Cycle:
    """The last published cycle, with the acknowledgements as they are now; `NoCycleYet` when there is none."""
    pipe = client.pipeline(transaction=False)
    pipe.get(keys.cycle)
    pipe.hgetall(keys.alert_acks)
    text, raw_acks = pipe.execute()
    if text is None:
        raise NoCycleYet(keys.cycle)
    return Cycle.from_json(text, raw_acks)
