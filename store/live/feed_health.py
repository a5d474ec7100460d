"""Feed health: when each regency's data last arrived, whether that is unusual, and "no data" for the silent.

The usual gap between arrivals is learned per regency (an exponentially weighted mean of the gaps seen
between samples of `keys.last_seen`). A regency is "late" when nothing arrived for several usual gaps,
"silent" when nothing arrived for much longer than usual and at least `silent_after` (30 minutes by
default). A silent regency, or one never heard from, must be drawn grey as "no data", never as good.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

import redis

from store.contract.calendar import WIB
from store.contract.keys import Keys
from store.contract.settings import Settings
from store.live.sampling import claim_turn

FeedState = Literal["ok", "late", "silent"]
NO_DATA = "no_data"  # the KPI state given to figures of a silent regency


@dataclass(frozen=True)
class FeedRules:
    """Thresholds; a regency is late/silent after `factor` usual gaps, but never sooner than the minimum."""

    late_factor: float = 3.0
    late_after: timedelta = timedelta(minutes=5)
    silent_factor: float = 6.0
    silent_after: timedelta = timedelta(minutes=30)
    gap_alpha: float = 0.2  # weight of the newest gap in the learned usual gap
    sample_every: timedelta = timedelta(seconds=10)

    @classmethod
    def from_settings(cls, settings: Settings) -> FeedRules:
        return cls(silent_after=timedelta(minutes=settings.feed_silent_minutes))


@dataclass(frozen=True)
class FeedHealth:
    regency: str
    state: FeedState
    last_event_at: datetime | None
    age_seconds: float | None
    usual_gap_seconds: float | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "last_event_at": self.last_event_at.isoformat(timespec="seconds") if self.last_event_at else None,
            "age_seconds": self.age_seconds,
            "usual_gap_seconds": self.usual_gap_seconds,
        }

    @classmethod
    def from_dict(cls, regency: str, data: dict[str, Any]) -> FeedHealth:
        last = data.get("last_event_at")
        return cls(
            regency=regency,
            state=data["state"],
            last_event_at=datetime.fromisoformat(last) if last else None,
            age_seconds=data.get("age_seconds"),
            usual_gap_seconds=data.get("usual_gap_seconds"),
        )


def classify(last: float | None, usual_gap: float | None, now: float, rules: FeedRules = FeedRules()) -> FeedState:
    """State of a feed whose last arrival was at epoch `last` (None: never heard from, hence silent)."""
    if last is None:
        return "silent"
    age = now - last
    gap = usual_gap or 0.0
    if age >= max(rules.silent_factor * gap, rules.silent_after.total_seconds()):
        return "silent"
    if age >= max(rules.late_factor * gap, rules.late_after.total_seconds()):
        return "late"
    return "ok"


class FeedMonitor:
    """Learns each regency's usual gap between arrivals in Redis and reports feed health."""

    def __init__(self, client: redis.Redis, keys: Keys, rules: FeedRules = FeedRules()) -> None:
        self.redis = client
        self.keys = keys
        self.rules = rules

    def observe(self, now: datetime) -> bool:
        """Fold new arrivals into the usual gaps; at most once per `sample_every` across all processes.

        Returns whether this call sampled. Cheap (two hash reads): call it from a worker's idle hook or the
        ops page refresh.
        """
        if not claim_turn(self.redis, self.keys.sampler("feed"), now, self.rules.sample_every):
            return False
        last_seen = self.redis.hgetall(self.keys.last_seen)
        learned = {code: json.loads(v) for code, v in self.redis.hgetall(self.keys.feed_gaps).items()}
        updates = {}
        for code, value in last_seen.items():
            last = float(value)
            known = learned.get(code)
            if known is None:
                updates[code] = {"last": last, "gap": None}
            elif last > known["last"]:
                gap = last - known["last"]
                old = known["gap"]
                usual = gap if old is None else old + self.rules.gap_alpha * (gap - old)
                updates[code] = {"last": last, "gap": usual}
        if updates:
            self.redis.hset(self.keys.feed_gaps, mapping={c: json.dumps(u) for c, u in updates.items()})
        return True

    def health(self, codes: list[str], now: datetime) -> dict[str, FeedHealth]:
        """Feed health of every regency in `codes` (those never heard from are silent)."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.hgetall(self.keys.last_seen)
        pipe.hgetall(self.keys.feed_gaps)
        last_seen, gaps = pipe.execute()
        epoch = now.timestamp()
        out = {}
        for code in codes:
            last = float(last_seen[code]) if code in last_seen else None
            gap = json.loads(gaps[code])["gap"] if code in gaps else None
            out[code] = FeedHealth(
                regency=code,
                state=classify(last, gap, epoch, self.rules),
                last_event_at=datetime.fromtimestamp(last, WIB) if last is not None else None,
                age_seconds=round(epoch - last, 1) if last is not None else None,
                usual_gap_seconds=round(gap, 1) if gap is not None else None,
            )
        return out


def apply_feed_state(snapshot: dict[str, Any], health: dict[str, FeedHealth]) -> dict[str, Any]:
    """A copy of the snapshot where each regency carries `feed` and `no_data`; a silent one's KPIs are "no_data".
    The copy shares the dicts it does not change with `snapshot`.

    The counts of a silent regency stay (they are the last known), but `no_data: True` tells the wall and
    the map to draw it grey with the words "no data", and its KPI states no longer read as good.
    `totals.silent_regencies` lists the silent codes.
    """
    # Only the dicts changed here are copied (a deep copy of 514 regencies cost more than the snapshot itself).
    regencies = {code: marked(figures, health.get(code)) for code, figures in snapshot["regencies"].items()}
    return with_regencies(snapshot, regencies)


def marked(figures: dict[str, Any], feed: FeedHealth | None) -> dict[str, Any]:
    """One regency's figures with its feed's state (`apply_feed_state`); `figures` itself is left as it is."""
    state = feed.state if feed else "silent"
    out = {**figures, "feed": feed.as_dict() if feed else {"state": "silent"}, "no_data": state == "silent"}
    if state == "silent":
        out["kpis"] = {metric: {**kpi, "state": NO_DATA} for metric, kpi in figures["kpis"].items()}
    return out


def with_regencies(snapshot: dict[str, Any], regencies: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """`snapshot` with its regencies' figures replaced by `regencies` (already `marked`), and the silent listed."""
    silent = sorted(code for code, figures in regencies.items() if figures["no_data"])
    return {**snapshot, "totals": {**snapshot["totals"], "silent_regencies": silent}, "regencies": regencies}
