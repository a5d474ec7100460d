"""Realistic event streams: new requests, status updates through the lifecycle, re-sent duplicates and
KPI samples, with regencies weighted by population."""

from __future__ import annotations

import csv
import itertools
import random
from datetime import datetime, timedelta
from typing import Any

from store.contract.calendar import WIB
from store.contract.events import CHANNELS
from store.contract.reference import DATA_DIR, Reference, load_reference

LIFECYCLE = ("received", "verified", "dispatched", "in_progress", "resolved")
PRIORITIES = ("low", "normal", "normal", "normal", "high", "urgent")


def national_reference() -> Reference:
    """A synthetic province holding all 514 regencies and cities of Indonesia, with the usual
    categories, KPIs and channels: the largest wall the code must serve."""
    base = load_reference("12")
    with (DATA_DIR / "regencies.csv").open(newline="", encoding="utf-8") as f:
        provinces = dict.fromkeys(row["province"] for row in csv.DictReader(f))
    regencies = {}
    for province in provinces:
        regencies.update(load_reference(province).regencies)
    return Reference("00", "Indonesia", regencies, base.categories, base.channels, base.kpis)


class Workload:
    """Deterministic generator of raw events (as a source would post them) for one reference."""

    def __init__(self, reference: Reference, seed: int = 1) -> None:
        self.reference = reference
        self.rng = random.Random(seed)
        self.codes = list(reference.regencies)
        self.cum_weights = list(itertools.accumulate(r.population for r in reference.regencies.values()))
        self.categories = list(reference.categories.values())
        self.kpis = list(reference.kpis.values())
        self.ids = itertools.count(1)
        self.open: list[dict[str, Any]] = []  # latest event of each open request
        self.sent: list[dict[str, Any]] = []

    def _regency(self) -> str:
        return self.rng.choices(self.codes, cum_weights=self.cum_weights)[0]

    def _event_id(self) -> str:
        return f"ev-{next(self.ids):09d}"

    def new_request(self, ts: datetime) -> dict[str, Any]:
        category = self.rng.choice(self.categories)
        regency = self._regency()
        event = {
            "event_id": self._event_id(),
            "type": "service_request",
            "request_id": f"req-{regency}-{next(self.ids):09d}",
            "regency_code": regency,
            "status": "received",
            "category": category.key,
            "channel": self.rng.choice(CHANNELS),
            "opd": category.opd,
            "ts": ts.isoformat(timespec="milliseconds"),
            "priority": self.rng.choice(PRIORITIES),
            "title": f"Laporan {category.name_id.lower()} di {self.reference.regencies[regency].short_name}",
        }
        self.open.append(event)
        return event

    def update(self, ts: datetime) -> dict[str, Any]:
        """Move a random open request one step along its lifecycle (a few are rejected)."""
        slot = self.rng.randrange(len(self.open))
        previous = self.open[slot]
        status = "rejected" if self.rng.random() < 0.03 else LIFECYCLE[LIFECYCLE.index(previous["status"]) + 1]
        event = {
            **previous,
            "event_id": self._event_id(),
            "status": status,
            "ts": ts.isoformat(timespec="milliseconds"),
        }
        if status == "resolved":
            event["satisfaction"] = self.rng.randint(1, 5)
        if status in ("resolved", "rejected"):
            self.open[slot] = self.open[-1]
            self.open.pop()
        else:
            self.open[slot] = event
        return event

    def kpi(self, ts: datetime) -> dict[str, Any]:
        kpi = self.rng.choice(self.kpis)
        return {
            "event_id": self._event_id(),
            "type": "kpi",
            "metric": kpi.key,
            "regency_code": self._regency(),
            "value": round(self.rng.gauss(kpi.typical, kpi.spread), 2),
            "ts": ts.isoformat(timespec="milliseconds"),
        }

    def events(self, count: int, end: datetime, span: timedelta = timedelta(hours=2)) -> list[dict[str, Any]]:
        """`count` events with times rising evenly over `span` up to `end`: about 35% new requests,
        45% status updates, 12% KPI samples and 8% exact re-sends of an earlier event."""
        start = end.astimezone(WIB) - span
        step = span / count
        out = []
        for n in range(count):
            ts = start + step * n
            roll = self.rng.random()
            if roll < 0.08 and self.sent:
                event = self.rng.choice(self.sent)
            elif roll < 0.20:
                event = self.kpi(ts)
            elif roll < 0.55 or not self.open:
                event = self.new_request(ts)
            else:
                event = self.update(ts)
            self.sent.append(event)
            out.append(event)
        return out

    def settled(self, requests: int, end: datetime, span: timedelta = timedelta(hours=8)) -> list[dict[str, Any]]:
        """Events leaving `requests` requests in a realistic mix of states by `end`: each is received
        within `span`, then 55% are resolved, 5% rejected, and the rest stop part-way (open)."""
        start = end.astimezone(WIB) - span
        out = []
        for _ in range(requests):
            received = start + span * self.rng.random()
            event = self.new_request(received)
            self.open.pop()
            out.append(event)
            roll = self.rng.random()
            status = "resolved" if roll < 0.55 else "rejected" if roll < 0.60 else self.rng.choice(LIFECYCLE[:4])
            if status != "received":
                later = received + (end - received) * self.rng.random()
                out.append(
                    {
                        **event,
                        "event_id": self._event_id(),
                        "status": status,
                        "ts": later.isoformat(timespec="milliseconds"),
                    }
                )
        return out
