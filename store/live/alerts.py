"""Alerts: rules over the snapshot, the regency's usual backlog, and acknowledgements shared by every screen.

`evaluate` is pure (snapshot in, alerts out). `AlertBook.refresh` keeps, in Redis, when each alert first
fired and drops the acknowledgement of an alert that has cleared; `AlertBook.ack` records who acknowledged
what and announces it on `keys.alerts_channel` to the live worker, which pushes it to every screen.
Messages are a key and parameters for the UI to translate, never a finished sentence.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Literal

import redis

from store.contract.calendar import WIB, iso_wib
from store.contract.keys import Keys
from store.contract.reference import Reference
from store.live.sampling import claim_turn

Severity = Literal["info", "warning", "critical"]
SEVERITY_RANK = {"info": 0, "warning": 1, "critical": 2}
ACK_LOG_SIZE = 10_000  # acknowledgements kept for shift digests


@dataclass(frozen=True)
class AlertRules:
    """Thresholds of the alert rules."""

    overdue_info: int = 1
    overdue_warning: int = 5
    overdue_critical: int = 20
    overdue_share_warning: float = 0.10  # of open requests, counted once at least `overdue_warning` are late
    overdue_share_critical: float = 0.25
    backlog_sd: float = 3.0  # open > mean + backlog_sd * sd
    backlog_ratio: float = 1.5  # and open > mean * backlog_ratio
    backlog_floor: int = 10  # and open > backlog_floor
    backlog_critical_ratio: float = 2.5
    backlog_min_samples: int = 12  # a baseline learned from fewer samples does not judge yet


@dataclass(frozen=True)
class Alert:
    id: str  # stable across evaluations: "<kind>:<regency>[:<metric>]"
    kind: str  # "overdue" | "backlog" | "kpi" | "feed"
    regency: str
    severity: Severity
    message_key: str  # e.g. "alert.overdue"; the UI translates it with `params`
    params: dict[str, Any] = field(default_factory=dict)
    since: datetime | None = None  # when it first fired
    acknowledged_by: str | None = None
    acknowledged_at: datetime | None = None

    @property
    def sound(self) -> bool:
        """Whether the UI may play the short sound (only if `Settings.alert_sound` is on, and not acknowledged)."""
        return self.severity == "critical" and self.acknowledged_by is None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Alert:
        fields = {k: data.get(k) for k in ("id", "kind", "regency", "severity", "message_key", "params")}
        for name in ("since", "acknowledged_at"):
            fields[name] = datetime.fromisoformat(data[name]) if data.get(name) else None
        return cls(**fields, acknowledged_by=data.get("acknowledged_by"))


@dataclass(frozen=True)
class Baseline:
    """A regency's usual open backlog: exponentially weighted mean and variance over `n` samples."""

    mean: float
    var: float
    n: int

    @property
    def sd(self) -> float:
        return math.sqrt(max(self.var, 0.0))

    def updated(self, value: float, alpha: float) -> Baseline:
        if self.n == 0:
            return Baseline(float(value), 0.0, 1)
        diff = value - self.mean
        step = alpha * diff
        return Baseline(self.mean + step, (1 - alpha) * (self.var + diff * step), self.n + 1)


def backlog_unusual(open_now: int, baseline: Baseline | None, rules: AlertRules = AlertRules()) -> bool:
    """The rule: open > mean + 3 sd, and > 1.5 x mean, and > 10, once the baseline has enough samples."""
    if baseline is None or baseline.n < rules.backlog_min_samples:
        return False
    return (
        open_now > baseline.mean + rules.backlog_sd * baseline.sd
        and open_now > baseline.mean * rules.backlog_ratio
        and open_now > rules.backlog_floor
    )


def evaluate(
    snapshot: dict[str, Any],
    baselines: dict[str, Baseline],
    reference: Reference,
    now: datetime,
    rules: AlertRules = AlertRules(),
) -> list[Alert]:
    """Alerts raised by a snapshot, most severe first; `since` is `now` (AlertBook.refresh keeps the first time).

    A regency marked `no_data` (see `store.live.feed_health.apply_feed_state`) gets a feed alert instead of KPI and
    backlog alerts, which would judge stale figures; its overdue requests still count, as deadlines pass anyway.
    """
    alerts: list[Alert] = []
    for code, figures in snapshot["regencies"].items():
        alerts.extend(_overdue(code, figures, rules, now))
        if figures.get("no_data"):
            if figures.get("feed", {}).get("last_event_at"):
                params = {"last_event_at": figures["feed"]["last_event_at"]}
                alerts.append(Alert(f"feed:{code}", "feed", code, "warning", "alert.feed_silent", params, now))
            continue
        alerts.extend(_backlog(code, figures, baselines.get(code), rules, now))
        alerts.extend(_kpis(code, figures, reference, now))
    return sorted(alerts, key=by_severity)


def _overdue(code: str, figures: dict[str, Any], rules: AlertRules, now: datetime) -> list[Alert]:
    overdue, open_ = figures["overdue"], figures["open"]
    if overdue < rules.overdue_info:
        return []
    share = overdue / open_ if open_ else 1.0
    late_enough = overdue >= rules.overdue_warning
    if overdue >= rules.overdue_critical or (late_enough and share >= rules.overdue_share_critical):
        severity: Severity = "critical"
    elif late_enough or (overdue > 1 and share >= rules.overdue_share_warning):
        severity = "warning"
    else:
        severity = "info"
    params = {"overdue": overdue, "open": open_, "share_pct": round(100 * share, 1)}
    return [Alert(f"overdue:{code}", "overdue", code, severity, "alert.overdue", params, now)]


def _backlog(code: str, figures: dict[str, Any], baseline: Baseline | None, rules: AlertRules, now: datetime):
    if baseline is None or not backlog_unusual(figures["open"], baseline, rules):
        return []
    critical = figures["open"] > baseline.mean * rules.backlog_critical_ratio
    params = {"open": figures["open"], "usual": round(baseline.mean, 1), "sd": round(baseline.sd, 1)}
    severity: Severity = "critical" if critical else "warning"
    return [Alert(f"backlog:{code}", "backlog", code, severity, "alert.backlog", params, now)]


def _kpis(code: str, figures: dict[str, Any], reference: Reference, now: datetime) -> list[Alert]:
    alerts = []
    for metric, kpi in figures["kpis"].items():
        if kpi["state"] not in ("amber", "red"):
            continue
        threshold = reference.kpis[metric]
        severity: Severity = "critical" if kpi["state"] == "red" else "warning"
        params = {
            "metric": metric,
            "value": kpi["value"],
            "state": kpi["state"],
            "threshold": threshold.red if kpi["state"] == "red" else threshold.amber,
            "unit": threshold.unit,
        }
        alerts.append(Alert(f"kpi:{code}:{metric}", "kpi", code, severity, "alert.kpi", params, now))
    return alerts


class BacklogBaseline:
    """Each regency's usual open backlog, learned in Redis from snapshots at most once per `every`."""

    def __init__(
        self, client: redis.Redis, keys: Keys, alpha: float = 0.05, every: timedelta = timedelta(minutes=15)
    ) -> None:
        self.redis = client
        self.keys = keys
        self.alpha = alpha
        self.every = every

    def load(self) -> dict[str, Baseline]:
        return {
            code: Baseline(**json.loads(value))
            for code, value in self.redis.hgetall(self.keys.backlog_baseline).items()
        }

    def update(self, snapshot: dict[str, Any], now: datetime) -> bool:
        """Fold the snapshot's `open` counts into the baselines, unless another update ran less than `every` ago.

        Silent regencies (`no_data`) are skipped: their frozen counts are not a usual level. Returns whether
        this call updated.
        """
        if not claim_turn(self.redis, self.keys.sampler("backlog"), now, self.every):
            return False
        current = self.load()
        mapping = {}
        for code, figures in snapshot["regencies"].items():
            if figures.get("no_data"):
                continue
            learned = current.get(code, Baseline(0.0, 0.0, 0)).updated(figures["open"], self.alpha)
            mapping[code] = json.dumps(asdict(learned))
        if mapping:
            self.redis.hset(self.keys.backlog_baseline, mapping=mapping)
        return True


def by_severity(alert: Alert) -> tuple[int, str]:
    """Sort key: the most severe first, then by id (a stable order between ticks)."""
    return -SEVERITY_RANK[alert.severity], alert.id


def as_shown(alert: Alert) -> tuple[bool, int, str]:
    """Sort key of every screen's list: what still waits for someone before what was acknowledged, each the most
    severe first; an acknowledged alert never heads the wall while another waits."""
    return alert.acknowledged_by is not None, *by_severity(alert)


class AlertBook:
    """The active alerts and their acknowledgements, in Redis, shared by every app process."""

    def __init__(self, client: redis.Redis, keys: Keys) -> None:
        self.redis = client
        self.keys = keys

    def refresh(self, alerts: list[Alert], now: datetime) -> list[Alert]:
        """Make `alerts` (from `evaluate`) the active set; returns them with first-fired time and acknowledgements,
        in the order every screen shows them (`as_shown`).

        An alert that was already active keeps its `since`; one that cleared loses its acknowledgement, so if
        it fires again it must be acknowledged again.
        """
        pipe = self.redis.pipeline(transaction=False)
        pipe.hgetall(self.keys.alerts_active)
        pipe.hgetall(self.keys.alert_acks)
        raw_stored, raw_acks = pipe.execute()
        stored = {k: json.loads(v) for k, v in raw_stored.items()}
        acks = {k: json.loads(v) for k, v in raw_acks.items()}
        merged = []
        for alert in alerts:
            previous = stored.get(alert.id)
            since = datetime.fromisoformat(previous["since"]) if previous and previous.get("since") else alert.since
            merged.append(_with_ack(replace(alert, since=since or now), acks.get(alert.id)))
        live_ids = {a.id for a in merged}
        cleared = [alert_id for alert_id in stored if alert_id not in live_ids]
        # Every screen refreshes several times a second: rewrite only the alerts whose stored form changed.
        written = {a.id: json.dumps(stored_form(a)) for a in merged}
        written = {alert_id: text for alert_id, text in written.items() if raw_stored.get(alert_id) != text}
        if cleared or written:
            pipe = self.redis.pipeline(transaction=True)
            if cleared:
                pipe.hdel(self.keys.alerts_active, *cleared)
                pipe.hdel(self.keys.alert_acks, *cleared)
            if written:
                pipe.hset(self.keys.alerts_active, mapping=written)
            pipe.execute()
        return sorted(merged, key=as_shown)

    def active(self) -> list[Alert]:
        """The active alerts with their acknowledgements, in the order every screen shows them (`as_shown`)."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.hgetall(self.keys.alerts_active)
        pipe.hgetall(self.keys.alert_acks)
        stored, raw_acks = pipe.execute()
        return with_acks([Alert.from_dict(json.loads(data)) for data in stored.values()], raw_acks)

    def ack(self, alert_id: str, user: str, now: datetime) -> Alert | None:
        """Acknowledge an active alert; None if it is not active (already cleared, or unknown)."""
        acknowledged = self.ack_all([alert_id], user, now)
        return acknowledged[0] if acknowledged else None

    def ack_all(self, alert_ids: Sequence[str], user: str, now: datetime) -> list[Alert]:
        """Acknowledge the active alerts among `alert_ids` at once (those already cleared or unknown are left out);
        returns them acknowledged.

        Logs each acknowledgement (for the shift digest) and announces them once on `keys.alerts_channel`: the
        live worker then publishes a cycle and pushes it to every screen (`workers.live`, `workers.screens`).
        """
        if not alert_ids:
            return []
        stored = self.redis.hmget(self.keys.alerts_active, list(alert_ids))
        alerts = [Alert.from_dict(json.loads(raw)) for raw in stored if raw is not None]
        if not alerts:
            return []
        at = now.astimezone(WIB).isoformat(timespec="seconds")
        pipe = self.redis.pipeline(transaction=True)
        for alert in alerts:
            pipe.hset(self.keys.alert_acks, alert.id, json.dumps({"by": user, "at": at}))
            # The whole alert, so the digest can say what was acknowledged in its reader's language.
            entry = {**stored_form(alert), "by": user, "at": at}
            pipe.zadd(self.keys.alert_ack_log, {json.dumps(entry): now.timestamp()})
        pipe.zremrangebyrank(self.keys.alert_ack_log, 0, -ACK_LOG_SIZE - 1)
        pipe.execute()
        ids = [alert.id for alert in alerts]
        self.redis.publish(self.keys.alerts_channel, json.dumps({"reason": "ack", "ids": ids, "by": user}))
        return [replace(alert, acknowledged_by=user, acknowledged_at=now) for alert in alerts]

    def acknowledged_between(self, start: datetime, end: datetime) -> list[dict[str, str]]:
        """Acknowledgements logged in [start, end), oldest first: the alert as stored (`stored_form`: "id", "kind",
        "regency", "severity", "message_key", "params", "since"), with "by" and "at"."""
        entries = self.redis.zrangebyscore(self.keys.alert_ack_log, start.timestamp(), f"({end.timestamp()}")
        return [json.loads(entry) for entry in entries]


def with_acks(alerts: list[Alert], raw_acks: dict) -> list[Alert]:
    """`alerts` with the acknowledgements of `raw_acks` (the hash `keys.alert_acks` as read from Redis), in the
    order every screen shows them (`as_shown`): an acknowledgement moves an alert down."""
    acks = {k: json.loads(v) for k, v in raw_acks.items()}
    return sorted((_with_ack(alert, acks.get(alert.id)) for alert in alerts), key=as_shown)


def _with_ack(alert: Alert, ack: dict[str, str] | None) -> Alert:
    if not ack:
        return replace(alert, acknowledged_by=None, acknowledged_at=None)
    return replace(alert, acknowledged_by=ack["by"], acknowledged_at=datetime.fromisoformat(ack["at"]))


def stored_form(alert: Alert) -> dict[str, Any]:
    """The alert as kept in Redis: without its acknowledgement (kept apart, see `with_acks`)."""
    since = iso_wib(alert.since)
    return {
        "id": alert.id,
        "kind": alert.kind,
        "regency": alert.regency,
        "severity": alert.severity,
        "message_key": alert.message_key,
        "params": alert.params,
        "since": since,
    }
