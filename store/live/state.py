"""Live per-regency state in Redis: applying events exactly once, and reading the snapshot (contract)."""

from __future__ import annotations

import hashlib
import json
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import redis

from store.contract import clock
from store.contract.calendar import WIB, deadline
from store.contract.events import STATUSES
from store.contract.keys import Keys
from store.contract.reference import Reference

_LUA = Path(__file__).with_name("lua")
APPLIED, DUPLICATE, CONFLICT = 0, 1, 2
_RANK = {status: rank for rank, status in enumerate(STATUSES)}
_SEP = "\x1f"  # unit separator: cannot occur in validated fields (control characters are rejected)
_STATE_REGENCY = 11  # position of the regency in a request's packed state (REG in apply.lua, from 0)
_WIB_OFFSET = 7 * 3600  # WIB has had no daylight saving since 1964
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def digest(record: str | bytes) -> str:
    """Short content hash of a stored event, to tell a duplicate from a reused event_id."""
    data = record.encode() if isinstance(record, str) else record
    return hashlib.blake2b(data, digest_size=8).hexdigest()


@lru_cache(maxsize=8192)
def _auto_deadline(received_day: str, working_days: int) -> float:
    start = datetime.fromisoformat(received_day).replace(tzinfo=WIB)
    return deadline(start, working_days).timestamp()


def _epoch_and_day(iso: str) -> tuple[float, str]:
    epoch = datetime.fromisoformat(iso).timestamp()
    return epoch, _day_name(int(epoch + _WIB_OFFSET) // 86400)


@lru_cache(maxsize=1024)
def _day_name(epoch_day: int) -> str:
    return date.fromordinal(_EPOCH_ORDINAL + epoch_day).isoformat()


@dataclass
class Touched:
    """What applied events changed: the regencies whose figures moved, and the epoch hours whose counts did."""

    regencies: set[str] = field(default_factory=set)
    hours: set[int] = field(default_factory=set)

    def add(self, other: Touched) -> None:
        self.regencies |= other.regencies
        self.hours |= other.hours


@dataclass(frozen=True)
class Reading:
    """Some regencies' figures as the snapshot script read them: each one's, how many of its requests resolved
    today were within their deadline, the next time one of its open requests' deadlines passes (its overdue count
    then moves without any event; None: no deadline to come), and the province's median time to resolve (False:
    none resolved)."""

    regencies: dict[str, dict[str, Any]]
    within: dict[str, int]
    next_due: dict[str, float | None]
    province_median: float | bool | None
    hours: dict[int, tuple[int, int]]  # requests received and resolved in each epoch hour asked for


class LiveState:
    """Live figures of one province in Redis."""

    def __init__(self, client: redis.Redis, reference: Reference) -> None:
        self.redis = client
        self.reference = reference
        self.keys = Keys(reference.province)
        self._apply = client.register_script((_LUA / "apply.lua").read_text())
        counting = (_LUA / "hour_counts.lua").read_text()
        self._snapshot = client.register_script(counting + (_LUA / "snapshot.lua").read_text())
        self._hourly = client.register_script(counting + (_LUA / "hourly.lua").read_text())

    def rename_legacy_request_keys(self) -> int:
        """Give requests stored before the identity was per regency (`req:<id>`) their key of now
        (`rq:<regency>:<id>`), so their next events update them rather than count them again. Idempotent;
        returns how many were renamed."""
        renamed = 0
        legacy = self.keys.legacy_request_pattern
        for key in self.redis.scan_iter(match=legacy, count=1000):
            state = self.redis.hget(key, "s")
            if state is None:
                continue
            regency = state.split(_SEP)[_STATE_REGENCY]
            request_id = key[len(legacy) - 1 :]
            renamed += bool(self.redis.renamenx(key, self.keys.request(regency, request_id)))
        return renamed

    def apply(self, records: Sequence[str | bytes], now: datetime) -> list[int]:
        """Apply stored events (canonical JSON, see `store.contract.events.to_record`) in one atomic step.

        Returns, per record, APPLIED, DUPLICATE (already counted) or CONFLICT (event_id reused with
        other content; the caller dead-letters it).
        """
        return self.apply_noting(records, now)[0]

    def apply_noting(self, records: Sequence[str | bytes], now: datetime) -> tuple[list[int], Touched]:
        """`apply`, and what it changed: the regencies and hours of the events APPLIED."""
        if not records:
            return [], Touched()
        events = [json.loads(record) for record in records]
        args = [self.keys.prefix, int(now.timestamp()), int(now.timestamp()) // 60]
        args.extend(self._arguments(record, event) for record, event in zip(records, events, strict=True))
        replies = [int(n) for n in self._apply(keys=[self.keys.events], args=args)]
        results, hours = replies[: len(records)], set(replies[len(records) :])
        regencies = {event["regency_code"] for event, result in zip(events, results, strict=True) if result == APPLIED}
        return results, Touched(regencies, hours)

    def _arguments(self, record: str | bytes, event: dict[str, Any]) -> str:
        """One event as the apply script's packed argument (fields joined by the unit separator)."""
        ts, day = _epoch_and_day(event["ts"])
        head = f"{event['event_id']}{_SEP}{digest(record)}{_SEP}{event['regency_code']}{_SEP}{ts!r}{_SEP}{day}"
        if event["type"] == "kpi":
            return f"k{_SEP}{head}{_SEP}{event['metric']}{_SEP}{float(event['value'])!r}"
        working_days = self.reference.categories[event["category"]].deadline_working_days
        explicit = event.get("sla_due")
        fields = (
            event["request_id"],
            event["status"],
            _RANK[event["status"]],
            event["category"],
            event["channel"],
            event["opd"],
            repr(_auto_deadline(day, working_days)),
            repr(datetime.fromisoformat(explicit).timestamp()) if explicit else "",
        )
        return f"r{_SEP}{head}{_SEP}" + _SEP.join(map(str, fields))

    def snapshot(
        self, now: datetime | None = None, codes: Iterable[str] | None = None, by_opd: bool = True
    ) -> dict[str, Any]:
        """The province snapshot (contract): totals and every regency, even those with no data.

        `by_opd=False` leaves out the open counts per OPD (regencies' and totals' `by_opd`): the province view
        does not show them, and counting them costs about half the script's time.
        """
        now = now or clock.now()
        reading = self.read(now, codes if codes is not None else self.reference.regencies, by_opd)
        return self.assembled(now, reading.regencies, sum(reading.within.values()), reading.province_median, by_opd)

    def read(self, now: datetime, codes: Iterable[str], by_opd: bool = False, hours: Iterable[int] = ()) -> Reading:
        """The figures of the regencies `codes` as they are at `now`, in one script call: the live worker reads only
        those that events touched between its full reads (`store.live.cycle`). The same call reads the province's
        counts of the epoch `hours` too."""
        codes, span = list(codes), list(hours)
        epoch = int(now.timestamp())
        raw = json.loads(
            self._snapshot(
                keys=[self.keys.events, *(self.keys.hour(hour) for hour in span)],
                args=[
                    self.keys.prefix,
                    now.astimezone(WIB).date().isoformat(),
                    epoch,
                    epoch // 60,
                    "1" if by_opd else "0",
                    *codes,
                ],
            )
        )
        last_seen = raw["last_seen"]
        return Reading(
            regencies={code: _figures(raw["regencies"][code], last_seen.get(code), self.reference) for code in codes},
            within={code: int(raw["regencies"][code]["day"].get("within", 0)) for code in codes},
            next_due={code: raw["regencies"][code]["next_due"] or None for code in codes},
            province_median=raw["province_median"],
            hours=dict(zip(span, pairwise_counts(raw["hours"] or []), strict=True)),
        )

    def assembled(
        self,
        now: datetime,
        regencies: dict[str, dict[str, Any]],
        within: int,
        median: float | bool | None,
        by_opd: bool = False,
    ) -> dict[str, Any]:
        """The snapshot of `regencies`' figures (`read`), with `within` and `median` the province's."""
        return {
            "province": self.reference.province,
            "as_of": now.astimezone(WIB).isoformat(timespec="seconds"),
            "totals": added_up(list(regencies.values()), within, median, self.reference, by_opd),
            "regencies": regencies,
        }

    def hourly(self, now: datetime | None = None, hours: int = 24, code: str | None = None) -> dict[str, list]:
        """Requests received and resolved per hour over the last `hours` hours, for a regency or the province."""
        span = hour_span(now or clock.now(), hours)
        return _hour_counts(span, self._hourly(keys=[self.keys.hour(hour) for hour in span], args=[code or ""]))

    def regency_snapshot(self, code: str, now: datetime | None = None) -> dict[str, Any]:
        """One regency's figures (contract); KeyError for a code not in the province."""
        regency = self.reference.regencies[code]
        snap = self.snapshot(now, codes=[code])
        return {"code": code, "name": regency.name, "as_of": snap["as_of"], **snap["regencies"][code]}


def hour_span(now: datetime, hours: int) -> range:
    """The epoch hours of the last `hours` hours, the current one last."""
    last = int(now.timestamp()) // 3600
    return range(last - hours + 1, last + 1)


def _hour_counts(span: Iterable[int], counts: Sequence[Any]) -> dict[str, list]:
    """The hours of `span` with the requests received and resolved in each (`counts`, flat, as the scripts give
    them), as the trend takes them: each hour by its start in WIB."""
    return hour_series(dict(zip(span, pairwise_counts(counts), strict=True)))


def pairwise_counts(counts: Sequence[Any]) -> list[tuple[int, int]]:
    """(received, resolved) of each hour from the flat list the scripts return."""
    return [(int(got), int(done)) for got, done in zip(counts[0::2], counts[1::2], strict=True)]


def hour_series(counts: dict[int, tuple[int, int]]) -> dict[str, list]:
    """Counts by epoch hour (in order) as the trend takes them: each hour by its start in WIB."""
    return {
        "hour": [_hour_start(hour) for hour in counts],
        "received": [got for got, _ in counts.values()],
        "resolved": [done for _, done in counts.values()],
    }


@lru_cache(maxsize=256)
def _hour_start(epoch_hour: int) -> str:
    return datetime.fromtimestamp(epoch_hour * 3600, WIB).isoformat(timespec="minutes")


def _iso(epoch: str | None) -> str | None:
    if epoch in (None, ""):
        return None
    return _iso_of(epoch)


@lru_cache(maxsize=8192)  # a KPI time and a last arrival per regency: 514 x 11 at most
def _iso_of(epoch: str) -> str:
    # The same stored times (KPI samples, last arrivals) come back on every snapshot: convert each once.
    return datetime.fromtimestamp(float(epoch), WIB).isoformat(timespec="seconds")


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _figures(raw: dict[str, Any], last_seen: str | None, reference: Reference) -> dict[str, Any]:
    day = {field: int(value) for field, value in raw["day"].items()}
    kpis = {}
    for metric, stored in raw["kpis"].items():
        ts, value, _ = stored.split("|", 2)
        kpi = reference.kpis.get(metric)
        if kpi:
            kpis[metric] = {"value": float(value), "state": kpi.state(float(value)), "ts": _iso(ts)}
    median = raw["median"]
    figures = {
        "received_today": day.get("received", 0),
        "open": raw["open"],
        "resolved_today": day.get("resolved", 0),
        "within_deadline_pct": _pct(day.get("within", 0), day.get("resolved", 0)),
        "overdue": raw["overdue"],
        "median_resolve_minutes": None if median is None or median is False else round(median, 1),
        "by_category": {k[4:]: n for k, n in day.items() if k.startswith("cat:") and n},
        "by_channel": {k[3:]: n for k, n in day.items() if k.startswith("ch:") and n},
        "kpis": kpis,
        "events_per_minute": round(raw["recent"] / 5, 1),
        "last_event_at": _iso(last_seen),
    }
    if "by_opd" in raw:
        figures["by_opd"] = {opd: {"open": n, "overdue": late} for opd, (n, late) in raw["by_opd"].items()}
    return figures


def added_up(
    figures: list[dict[str, Any]],
    within: int,
    median: float | bool | None,
    reference: Reference,
    with_opd: bool = False,
) -> dict[str, Any]:
    """Totals of regencies' figures (a province's; the nation's, of its provinces'), with `within` the requests
    resolved within their deadline and `median` the median time to resolve (False or None: none)."""

    def total(field: str) -> int:
        return sum(f[field] for f in figures)

    def merged(field: str) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in figures:
            for key, n in f[field].items():
                out[key] = out.get(key, 0) + n
        return out

    last = [f["last_event_at"] for f in figures if f["last_event_at"]]
    out = {
        "received_today": total("received_today"),
        "open": total("open"),
        "resolved_today": total("resolved_today"),
        "within_deadline_pct": _pct(within, total("resolved_today")),
        "overdue": total("overdue"),
        "median_resolve_minutes": None if median is None or median is False else round(median, 1),
        "by_category": merged("by_category"),
        "by_channel": merged("by_channel"),
        "kpis": median_kpis(figures, reference),
        "events_per_minute": round(sum(f["events_per_minute"] for f in figures), 1),
        "last_event_at": max(last) if last else None,
    }
    if with_opd:
        by_opd: dict[str, dict[str, int]] = {}
        for f in figures:
            for opd, counts in f["by_opd"].items():
                slot = by_opd.setdefault(opd, {"open": 0, "overdue": 0})
                slot["open"] += counts["open"]
                slot["overdue"] += counts["overdue"]
        out["by_opd"] = by_opd
    return out


def median_kpis(figures: list[dict[str, Any]], reference: Reference) -> dict[str, Any]:
    """A KPI for the province is the median of the regencies' latest values (for the nation, of the provinces')."""
    out = {}
    for metric, kpi in reference.kpis.items():
        samples = [f["kpis"][metric] for f in figures if metric in f["kpis"]]
        if samples:
            value = statistics.median(s["value"] for s in samples)
            out[metric] = {"value": value, "state": kpi.state(value), "ts": max(s["ts"] for s in samples)}
    return out
