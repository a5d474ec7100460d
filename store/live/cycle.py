"""The operations cycle: the live snapshot with feed health and "no data" marks, backlog baselines, alerts and
the 24-hour trend. The live worker runs it right before each tick (and every few seconds when the feed is
quiet) and publishes the result in Redis, so every screen of every app process reads one finished cycle
instead of computing its own on each refresh.

The cycle's `as_of` is the time the worker computed it: when the worker stops, the screens' figures age and
read as stale, as they should. Acknowledgements are applied when the cycle is read, so an acknowledgement
shows on every screen at once, without waiting for the next cycle.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import orjson
import redis

from store.contract import clock
from store.contract.calendar import WIB
from store.contract.keys import Keys
from store.contract.notice_standing import NoticeStanding
from store.live.alerts import Alert, AlertBook, BacklogBaseline, evaluate, stored_form, with_acks
from store.live.feed_health import FeedHealth, FeedMonitor, FeedRules, marked, with_regencies
from store.live.screens import ScreenRegistry, ScreenRules, screen_alerts
from store.live.state import LiveState, Touched, hour_series, hour_span

HOURS_SHOWN = 24  # the trend's hours
_OPERATIONS_RUNS = itertools.count(1)  # numbered across the process: no two runners' runs share a number


class NoCycleYet(LookupError):
    """No live worker has published a cycle in this Redis yet."""


@dataclass(frozen=True)
class Cycle:
    """One cycle: the snapshot (without `by_opd`) with feed state applied, the active alerts (most severe
    first), the province's requests received and resolved per hour over the last 24 hours, and the deadline
    notices' standing."""

    snapshot: dict[str, Any]
    alerts: list[Alert]
    hourly: dict[str, list]
    # Which operations run's feed health and alerts the cycle carries: cycles with the same number show the same
    # feed states and alerts, so a render may keep what it drew of them. None: not known.
    operations_run: int | None = None
    # The alerts as stored (`stored_form`, JSON), when the runner has them already: written with every cycle.
    stored_alerts: bytes | None = None
    # The deadline notices' standing as last published (read with each operations run); None: never counted.
    notices: NoticeStanding | None = None

    @property
    def health(self) -> dict[str, FeedHealth]:
        """Feed health per regency (each regency of the snapshot carries its own as `feed`)."""
        return {
            code: FeedHealth.from_dict(code, figures["feed"]) for code, figures in self.snapshot["regencies"].items()
        }

    def to_json(self) -> bytes:
        # orjson: a 514-regency cycle is about 700 KiB, which the standard library takes 3 to 10 times longer on.
        alerts = orjson.Fragment(self.alerts_json())
        notices = orjson.Fragment(self.notices.to_json()) if self.notices else None
        return orjson.dumps({"snapshot": self.snapshot, "alerts": alerts, "hourly": self.hourly, "notices": notices})

    def alerts_json(self) -> bytes:
        """The alerts as stored (JSON of their `stored_form`, without acknowledgements)."""
        return self.stored_alerts or orjson.dumps([stored_form(alert) for alert in self.alerts])

    def summary(self) -> dict[str, bytes]:
        """What the nation reads of this cycle (`Keys.summary`): the figures, and the alerts apart, so that a reader
        decodes the alerts again only when they changed; the notices' standing ("": never counted)."""
        figures = {
            "as_of": self.snapshot["as_of"],
            "totals": self.snapshot["totals"],
            "regencies": len(self.snapshot["regencies"]),
            "hourly": self.hourly,
        }
        notices = self.notices.to_json() if self.notices else b""
        return {"figures": orjson.dumps(figures), "alerts": self.alerts_json(), "notices": notices}

    @classmethod
    def from_json(cls, text: str, raw_acks: dict) -> Cycle:
        data = orjson.loads(text)
        alerts = with_acks([Alert.from_dict(alert) for alert in data["alerts"]], raw_acks)
        notices = data.get("notices")  # absent from a cycle published before the notices were carried
        return cls(
            snapshot=data["snapshot"],
            alerts=alerts,
            hourly=data["hourly"],
            notices=NoticeStanding.from_dict(notices) if notices else None,
        )


class CycleRunner:
    """Runs the cycle over the live state and publishes it (the live worker's).

    A run reads again only what may have moved since the run before: the regencies and hours that events touched
    (`touched`, from the live worker) and the regencies with a deadline passed since (their overdue count moves
    with time alone). Everything is read again in the first run, and when the minute (events a minute), the hour
    (the trend's span) or the WIB day (today's counts) is a new one, or when `touched` is not known.
    """

    def __init__(self, live: LiveState, rules: FeedRules = FeedRules(), screens: ScreenRules = ScreenRules()) -> None:
        client = live.redis
        self.live = live
        self.keys = Keys(live.reference.province)
        self.monitor = FeedMonitor(client, self.keys, rules)
        self.baseline = BacklogBaseline(client, self.keys)
        self.book = AlertBook(client, self.keys)
        self.screens = ScreenRegistry(client, self.keys, screens)
        self._health: dict[str, FeedHealth] = {}  # the last operations run's
        self._alerts: list[Alert] | None = None  # the last operations run's; None before the first
        self._operations_run: int | None = None
        self._stored_alerts: bytes | None = None
        self._notices: NoticeStanding | None = None
        self._figures: dict[str, dict[str, Any]] = {}  # each regency's figures as last read
        self._within: dict[str, int] = {}
        self._next_due: dict[str, float | None] = {}
        self._median: float | bool | None = None
        self._marked: dict[str, dict[str, Any]] = {}  # the same with their feed's state
        self._minute: tuple[date, int] | None = None  # the WIB day and epoch minute of the last full read
        self._hours: dict[int, tuple[int, int]] = {}  # requests received and resolved by epoch hour, the last 24
        self._hourly: dict[str, list] = {}  # the same as the trend takes them

    def run(self, now: datetime | None = None, operations: bool = True, touched: Touched | None = None) -> Cycle:
        """The snapshot with its feeds' state. With `operations` (and always the first time): sample feeds (at
        most once per interval across processes), mark silent regencies, refresh alerts (the regencies' and the
        screens'); without, the feed health and alerts of the last run that did stand, and only the figures move.
        `touched`: what events changed since the last run (None: not known, everything is read again)."""
        now = now or clock.now()
        operations = operations or self._alerts is None
        epoch = int(now.timestamp())
        minute = (now.astimezone(WIB).date(), epoch // 60)
        codes = list(self.live.reference.regencies)
        span = hour_span(now, HOURS_SHOWN)
        if touched is None or minute != self._minute:  # a new hour is a new minute too
            full, read, hours = True, codes, list(span)
        else:
            full = False
            read = {*touched.regencies, *(code for code, due in self._next_due.items() if due and epoch > due)}
            hours = [hour for hour in sorted(touched.hours) if hour in span]
        if read or hours:
            reading = self.live.read(now, read, hours=hours)
            self._figures.update(reading.regencies)
            self._within.update(reading.within)
            self._next_due.update(reading.next_due)
            self._median = reading.province_median
            self._hours = reading.hours if full else {**self._hours, **reading.hours}
            self._hourly = hour_series(self._hours)
        self._minute = minute
        if operations:
            self.monitor.observe(now)
            self._health = self.monitor.health(codes, now)
        for code in codes if operations or full else read:
            self._marked[code] = marked(self._figures[code], self._health.get(code))
        totals = self.live.assembled(now, self._figures, sum(self._within.values()), self._median)
        snapshot = with_regencies(totals, dict(self._marked))
        if operations:
            self.baseline.update(snapshot, now)
            raised = evaluate(snapshot, self.baseline.load(), self.live.reference, now)
            stamp = now.timestamp()
            raised += screen_alerts(self.screens.screens(stamp), stamp, self.screens.rules)
            self._alerts = self.book.refresh(raised, now)
            self._operations_run = next(_OPERATIONS_RUNS)
            self._stored_alerts = orjson.dumps([stored_form(alert) for alert in self._alerts])
            self._notices = self._notice_standing()
        return Cycle(
            snapshot, self._alerts or [], self._hourly, self._operations_run, self._stored_alerts, self._notices
        )

    def _notice_standing(self) -> NoticeStanding | None:
        """The notices' standing as the notices worker or an acknowledgement last published it."""
        text = self.live.redis.get(self.keys.notice_standing)
        return NoticeStanding.from_json(text) if text else None

    def publish(self, now: datetime | None = None, operations: bool = True, touched: Touched | None = None) -> Cycle:
        """Run the cycle (`run`) and make it the one every screen reads."""
        cycle = self.run(now, operations, touched)
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
