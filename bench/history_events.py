"""The rows of a history fill (`bench.history_fill`): requests spread over `DAYS` days (a national fill: over
`NATIONAL_DAYS`, across every province, `national_reference`) and the regencies by population, each walking its
lifecycle (received, verified, dispatched, in_progress, then resolved or rejected; a few stall) with log-normal
times to resolve, folded through the archive's own merge rules (`workers.archive`); KPI samples; and the daily
tables as the sums of the same contributions."""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.workload import LIFECYCLE, PRIORITIES
from store.contract.calendar import WIB
from store.contract.events import CHANNELS
from store.contract.provinces import NATIONAL
from store.contract.reference import Reference, load_reference, province_names
from store.history.stage_waits import Change, contribution
from workers.archive import _kpi_sample, _status_change
from workers.request_rows import Deltas, merged

DAYS = 95
NATIONAL_DAYS = 365
KPI_SHARE = 0.13  # of archived events; the rest are request status changes
# Median time to resolve about a day and a half, a long tail of weeks; a few requests stall and stay open.
RESOLVE_MEDIAN_MINUTES, RESOLVE_SIGMA = 2_000, 1.3
REJECTED, STALLED = 0.05, 0.03
# Requests arrive mostly in office hours (WIB).
HOUR_WEIGHTS = (1, 1, 1, 1, 1, 2, 4, 8, 12, 12, 11, 10, 9, 10, 11, 10, 8, 6, 5, 4, 3, 2, 2, 1)


def national_reference() -> Reference:
    """Every province's regencies as one reference (province `NATIONAL`), for a fill of the whole country."""
    regencies = {code: r for province in province_names() for code, r in load_reference(province).regencies.items()}
    return replace(load_reference(), province=NATIONAL, province_name="Indonesia", regencies=regencies)


def fill_days(reference: Reference) -> int:
    """The days a fill of `reference` spans: a year of the whole country, or `DAYS` of one province."""
    return NATIONAL_DAYS if reference.province == NATIONAL else DAYS


class HistoryGenerator:
    """Deterministic rows of every history table for `events` archived events ending at `end`."""

    def __init__(self, reference: Reference, events: int, end: datetime, part: int = 0) -> None:
        """`part` numbers the generators of one fill: each its own random draws and identifiers."""
        self.reference = reference
        self.events = events
        self.end = end
        self.days = fill_days(reference)
        self.start = end - timedelta(days=self.days)
        self.rng = random.Random(7 + part)
        self.prefix = f"fill{part}"
        self.codes = list(reference.regencies)
        self.cum_weights = list(itertools.accumulate(r.population for r in reference.regencies.values()))
        self.categories = list(reference.categories.values())
        self.kpis = list(reference.kpis.values())
        self.deltas = Deltas()
        self.ids = itertools.count(1)

    def _regency(self) -> str:
        return self.rng.choices(self.codes, cum_weights=self.cum_weights)[0]

    def _moment(self) -> datetime:
        """A random moment of the fill's span, weighted by the hour of day (WIB)."""
        day = self.start.astimezone(WIB).date() + timedelta(days=self.rng.randrange(self.days + 1))
        hour = self.rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
        moment = datetime(day.year, day.month, day.day, hour, tzinfo=WIB) + timedelta(seconds=self.rng.random() * 3600)
        return min(max(moment.astimezone(UTC), self.start), self.end - timedelta(seconds=1))

    def _lifecycle(self, received: datetime) -> list[tuple[str, datetime]]:
        """(status, ts) steps of one request up to the fill's end."""
        roll = self.rng.random()
        minutes = self.rng.lognormvariate(math.log(RESOLVE_MEDIAN_MINUTES), RESOLVE_SIGMA)
        if roll < REJECTED:
            statuses = (*LIFECYCLE[: self.rng.randint(1, 2)], "rejected")
        elif roll < REJECTED + STALLED:
            statuses = LIFECYCLE[: self.rng.randint(1, 4)]
        else:
            statuses = LIFECYCLE
        fractions = sorted(self.rng.random() for _ in statuses[1:-1])
        offsets = [0.0, *fractions, 1.0][: len(statuses)]
        steps = [
            (status, received + timedelta(minutes=minutes * f)) for status, f in zip(statuses, offsets, strict=True)
        ]
        return [(status, ts) for status, ts in steps if ts < self.end] or steps[:1]

    def _request_events(self) -> list[dict[str, Any]]:
        category = self.rng.choice(self.categories)
        regency = self._regency()
        received = self._moment()
        request_id = f"{self.prefix}-{regency}-{next(self.ids):09d}"
        common = {
            "request_id": request_id,
            "regency_code": regency,
            "category": category.key,
            "channel": self.rng.choice(CHANNELS),
            "opd": category.opd,
            "priority": self.rng.choice(PRIORITIES),
            "title": f"Laporan {category.name_id.lower()} di {self.reference.regencies[regency].short_name}",
        }
        events = []
        for status, ts in self._lifecycle(received):
            event = {**common, "event_id": f"{self.prefix}-ev-{next(self.ids):010d}", "status": status, "ts": ts}
            if status == "resolved":
                event["satisfaction"] = self.rng.randint(1, 5)
            events.append(event)
        if self.rng.random() < 0.05:  # an explicit deadline from the source on a few requests
            events[0]["sla_due"] = received + timedelta(days=self.rng.randint(1, 14))
        return events

    def requests(self) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
        """(final request row, its status change rows) until the request events reach their share;
        every request's contribution is added to the daily deltas."""
        target = round(self.events * (1 - KPI_SHARE))
        made = 0
        while made < target:
            events = self._request_events()[: target - made]
            state = None
            for event in events:
                state = merged(state, event, self.reference)
            timeline = [Change(e["status"], e["ts"], e["opd"], e["event_id"]) for e in events]
            waits = contribution(state["category"], timeline)
            state.update(waits.open_stage())
            self.deltas.count(state, +1)
            self.deltas.count_waits(state, waits, +1)
            made += len(events)
            yield state, [_status_change(event) for event in events]
        self.request_events = made

    def kpi_samples(self) -> Iterator[dict[str, Any]]:
        """KPI sample rows, as many as the events left after the requests."""
        for _ in range(self.events - self.request_events):
            kpi = self.rng.choice(self.kpis)
            event = {
                "event_id": f"{self.prefix}-kpi-{next(self.ids):010d}",
                "regency_code": self._regency(),
                "metric": kpi.key,
                "value": round(self.rng.gauss(kpi.typical, kpi.spread), 2),
                "ts": self._moment(),
            }
            yield _kpi_sample(event)

    def drain_daily_rows(self) -> dict[type, list[dict[str, Any]]]:
        """Rows of the daily tables summing the requests generated since the last call (which they leave)."""
        out = {}
        for model, deltas in self.deltas.tables():
            key = tuple(column.name for column in model.__table__.primary_key)
            out[model] = Deltas.rows(deltas, key, ordered=False)
        self.deltas = Deltas()
        return out
