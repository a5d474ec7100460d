"""A believable demo feed for a whole province, written through the same path as the HTTP intake.

Requests arrive in proportion to population with a daily rhythm in WIB, then move through their
statuses over minutes to hours (office work pauses at night); a backlog of older requests, some
past their deadline, is opened at start. KPIs drift around their typical values with occasional shocks
across the thresholds.
"""

from __future__ import annotations

import heapq
import logging
import math
import random
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from itertools import count
from typing import Any

import redis

from ingest.demo_data import (
    CATEGORY_WEIGHTS,
    CHANNEL_WEIGHTS,
    PRIORITY_WEIGHTS,
    SATISFACTION_WEIGHTS,
    STREETS,
    TITLES,
    VILLAGES,
)
from store.contract import clock as shared_clock
from store.contract.calendar import WIB
from store.contract.events import to_record, validate_event
from store.contract.keys import Keys
from store.contract.reference import Kpi, Reference, Regency, opd_name
from store.pipeline.ops import count_ingest
from store.pipeline.streams import append_when_room, dead_letter

log = logging.getLogger(__name__)

# Relative intake per WIB hour (0..23): quiet at night, a mid-morning peak, a smaller one after lunch.
HOURLY = [0.15, 0.1, 0.08, 0.08, 0.12, 0.3, 0.6, 1.0, 1.5, 1.9, 2.0, 1.8]
HOURLY += [1.4, 1.5, 1.6, 1.4, 1.1, 0.9, 0.8, 0.8, 0.7, 0.5, 0.35, 0.2]
HOURLY = [w * 24 / sum(HOURLY) for w in HOURLY]  # mean 1, so --rate is the daily average
KPI_SHARE = 0.1  # of the events; the rest are service requests
EVENTS_PER_REQUEST = 4.7  # received, verified, dispatched, in_progress, resolved (fewer when rejected)
REJECT_RATE = 0.07
BACKLOG_HOURS_OF_INTAKE = 0.05  # opened at start: requests received over the past days, still in hand

URGENT_HOURS = 4  # urgent requests carry an explicit deadline this long after receipt
SATISFACTION_SHARE = 0.35


def intake_weight(moment: datetime) -> float:
    """Relative intake at a moment, interpolated between the WIB hours of `HOURLY`."""
    local = moment.astimezone(WIB)
    hour = local.hour + local.minute / 60
    low = int(hour)
    return HOURLY[low] + (HOURLY[(low + 1) % 24] - HOURLY[low]) * (hour - low)


EVENTS_PER_MILLION = 1.3  # events a second per million residents: Sumatera Utara's 15.6 million give about 20
LEAST_RATE = 2.0  # the smallest provinces still show a moving wall


def demo_rate(reference: Reference) -> float:
    """The demo feed's daily mean rate for the province: in proportion to its population."""
    people = sum(r.population for r in reference.regencies.values())
    return round(max(LEAST_RATE, EVENTS_PER_MILLION * people / 1e6), 1)


class Simulator:
    """Generates the events of a province, in event time, from a seeded random source."""

    def __init__(self, reference: Reference, rate: float, seed: int | None, start: datetime) -> None:
        self.reference = reference
        self.rng = random.Random(seed)
        self.rate = rate
        self.request_rate = rate * (1 - KPI_SHARE) / EVENTS_PER_REQUEST  # requests per second, daily mean
        self.kpi_rate = rate * KPI_SHARE
        self.clock = start
        # A run tag keeps ids of separate runs apart; with the same seed and start, ids repeat exactly.
        self.tag = f"sim{int(start.timestamp()):x}"
        self._ids = count(1)
        self._due: list[tuple[float, int, dict[str, Any]]] = []
        self._regencies = list(reference.regencies.values())
        self._population = [r.population for r in self._regencies]
        self._categories = [k for k in CATEGORY_WEIGHTS if k in reference.categories]
        self._kpi_target: dict[tuple[str, str], float] = {}
        self._kpi_value: dict[tuple[str, str], float] = {}

    def opening(self) -> list[dict[str, Any]]:
        """Events for the start: a backlog of requests from past days and one sample of every KPI."""
        events = []
        for _ in range(round(self.request_rate * 3600 * BACKLOG_HOURS_OF_INTAKE)):
            received = self.clock - timedelta(hours=self.rng.uniform(3, 24 * 10))
            self._open_request(received, backlog=True)
        for regency in self._regencies:
            for kpi in self.reference.kpis.values():
                events.append(self._kpi_sample(regency, kpi, self.clock))
        return self._pop_due(self.clock) + events

    def advance(self, now: datetime) -> list[dict[str, Any]]:
        """Events with a time in (previous call, now], in time order."""
        seconds = (now - self.clock).total_seconds()
        if seconds <= 0:
            return []
        new_requests = self._poisson(self.request_rate * intake_weight(now) * seconds)
        for _ in range(new_requests):
            self._open_request(self.clock + timedelta(seconds=self.rng.uniform(0, seconds)))
        kpis = []
        for _ in range(self._poisson(self.kpi_rate * seconds)):
            moment = self.clock + timedelta(seconds=self.rng.uniform(0, seconds))
            regency = self.rng.choice(self._regencies)
            kpi = self.rng.choice(list(self.reference.kpis.values()))
            kpis.append((moment, self._kpi_sample(regency, kpi, moment)))
        self.clock = now
        due = self._pop_due(now)
        return sorted(due + [e for _, e in kpis], key=lambda e: e["ts"])

    def _poisson(self, mean: float) -> int:
        if mean > 50:  # normal approximation; Knuth's method underflows for large means
            return max(0, round(self.rng.gauss(mean, math.sqrt(mean))))
        limit, k, p = math.exp(-mean), 0, self.rng.random()
        while p > limit:
            k += 1
            p *= self.rng.random()
        return k

    def _pop_due(self, now: datetime) -> list[dict[str, Any]]:
        cutoff = now.timestamp()
        out = []
        while self._due and self._due[0][0] <= cutoff:
            out.append(heapq.heappop(self._due)[2])
        return out

    def _schedule(self, moment: datetime, event: dict[str, Any]) -> None:
        heapq.heappush(self._due, (moment.timestamp(), next(self._ids), event))

    def _pick(self, weights: dict) -> Any:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _open_request(self, received: datetime, backlog: bool = False) -> None:
        rng = self.rng
        regency = rng.choices(self._regencies, weights=self._population)[0]
        category = self.reference.categories[
            rng.choices(self._categories, weights=[CATEGORY_WEIGHTS[k] for k in self._categories])[0]
        ]
        request_id = f"{self.tag}-{regency.code}-{next(self._ids):07d}"
        priority = self._pick(PRIORITY_WEIGHTS)
        common = {
            "type": "service_request",
            "request_id": request_id,
            "regency_code": regency.code,
            "category": category.key,
            "channel": self._pick(CHANNEL_WEIGHTS.get(regency.type, CHANNEL_WEIGHTS["kabupaten"])),
            "opd": opd_name(category.opd, regency),
            "priority": priority,
        }
        if priority == "urgent":
            common["sla_due"] = (received + timedelta(hours=URGENT_HOURS)).astimezone(WIB).isoformat()

        def event(status: str, moment: datetime, **extra: Any) -> None:
            ts = moment.astimezone(WIB).isoformat(timespec="seconds")
            self._schedule(
                moment, {"event_id": f"{request_id}-{status}", "status": status, "ts": ts, **common, **extra}
            )

        event("received", received, title=self._title(category.key, regency))
        if rng.random() < REJECT_RATE:
            event("rejected", self._office(received + self._minutes(25)))
            return
        moment = received
        for status, median in (("verified", 8), ("dispatched", 20), ("in_progress", 40)):
            moment = self._office(moment + self._minutes(median))
            event(status, moment)
        # Longer deadlines get longer work; a lognormal tail makes some miss their deadline.
        work = self._minutes(60 * math.sqrt(category.deadline_working_days), sigma=1.1)
        if backlog:  # what is still in hand after days is the slow part of the distribution
            work *= rng.uniform(4, 40)
        resolved = self._office(moment + work)
        extra = {}
        if rng.random() < SATISFACTION_SHARE:
            extra["satisfaction"] = self._pick(SATISFACTION_WEIGHTS)
        event("resolved", resolved, **extra)

    def _minutes(self, median: float, sigma: float = 0.8) -> timedelta:
        return timedelta(minutes=median * math.exp(self.rng.gauss(0, sigma)))

    def _office(self, moment: datetime) -> datetime:
        """Office work done at night waits for the next morning (07:00-08:30 WIB)."""
        local = moment.astimezone(WIB)
        if 6 <= local.hour < 22:
            return moment
        morning = local.replace(hour=7, minute=0, second=0, microsecond=0)
        if local.hour >= 22:
            morning += timedelta(days=1)
        return morning + timedelta(minutes=self.rng.uniform(0, 90))

    def _title(self, category: str, regency: Regency) -> str:
        village = self.rng.choice(VILLAGES)
        place = f"{'Kelurahan' if regency.type == 'kota' else 'Desa'} {village}"
        template = self.rng.choice(TITLES.get(category, ["Pengaduan warga di {place}"]))
        return template.format(
            street=self.rng.choice(STREETS), place=place, village=village, number=self.rng.randint(1, 40)
        )

    def _kpi_sample(self, regency: Regency, kpi: Kpi, moment: datetime) -> dict[str, Any]:
        key = (regency.code, kpi.key)
        worse = 1 if kpi.good == "down" else -1
        if key not in self._kpi_target:
            # Each regency has its own level: some sit structurally closer to the thresholds.
            self._kpi_target[key] = kpi.typical + self.rng.gauss(0, 0.5) * kpi.spread
            self._kpi_value[key] = self._kpi_target[key]
        value = self._kpi_value[key]
        value += 0.15 * (self._kpi_target[key] - value) + self.rng.gauss(0, 0.25) * kpi.spread
        if self.rng.random() < 0.03:  # a shock (a price spike, a smog day) that decays over later samples
            value += worse * self.rng.uniform(1.5, 3.5) * kpi.spread
        self._kpi_value[key] = value
        return {
            "event_id": f"{self.tag}-k{next(self._ids):07d}",
            "type": "kpi",
            "metric": kpi.key,
            "regency_code": regency.code,
            "value": _rounded(value, kpi),
            "ts": moment.astimezone(WIB).isoformat(timespec="seconds"),
        }


def _rounded(value: float, kpi: Kpi) -> float:
    value = max(0.0, value)
    if kpi.unit == "%":
        return round(min(value, 100.0), 1)
    if kpi.unit.startswith("skala"):
        return round(min(max(value, 1.0), 5.0), 2)
    if kpi.typical >= 1000:  # prices move in steps of Rp 50
        return float(round(value / 50) * 50)
    return float(round(value))


def write(client: redis.Redis, reference: Reference, events: list[dict[str, Any]], now: datetime, cap: int) -> int:
    """Validate, append and count events as the HTTP intake does; returns how many were accepted."""
    keys = Keys(reference.province)
    records = []
    for event in events:
        try:
            records.append(to_record(validate_event(event, reference, now=now)))
        except ValueError as exc:
            dead_letter(client, keys, repr(event), str(exc), "simulate")
    for start in range(0, len(records), 1000):
        append_when_room(client, keys, records[start : start + 1000], cap)
    count_ingest(client, keys, "simulate", len(records), now)  # /ops counts every source, the demo feed too
    return len(records)


def run(
    client: redis.Redis,
    references: Sequence[Reference],
    *,
    rate: float | None = None,
    seed: int | None = None,
    duration: float | None = None,
    cap: int = 1_000_000,
    clock: Callable[[], float] = shared_clock.timestamp,
    sleep: Callable[[float], None] = time.sleep,
    step_seconds: float = 1.0,
) -> int:
    """Feed each province's stream until `duration` seconds have passed (forever when None), at `rate` events a
    second per province (None: by its population, `demo_rate`); returns events written."""
    started = clock()
    now = datetime.fromtimestamp(started, WIB)
    feeds = [
        (reference, Simulator(reference, rate or demo_rate(reference), None if seed is None else seed + n, now))
        for n, reference in enumerate(references)
    ]
    written = 0
    for reference, simulator in feeds:
        written += write(client, reference, simulator.opening(), now, cap)
        log.info("demo feed: province %s at about %.0f events/s", reference.province, simulator.rate)
    while duration is None or clock() - started < duration:
        sleep(step_seconds)
        now = datetime.fromtimestamp(clock(), WIB)
        for reference, simulator in feeds:
            written += write(client, reference, simulator.advance(now), now, cap)
    return written
