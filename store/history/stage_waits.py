"""Where requests wait, kept as the archive writes: a request's timeline -> its contribution to the stage tables.

A request waits in a stage (received, verified, dispatched, in_progress) from the change that starts it to the next
change, in working days on the Indonesian calendar (WIB). What a request adds to the tables is a function of its
received day, its category and its whole timeline, so the archive revises a request by taking its old contribution
away and adding its new one, whatever order its events arrive in (`workers.request_rows.Deltas`):

- each closed stage, in a histogram by received day, OPD, category, stage and `duration_bucket` of its working time;
- each OPD a request has left (or all of them, once it is resolved or rejected): the working days it waited with
  that OPD in all, in a histogram by received day and OPD, for the OPD ranking's medians;
- per received day: the requests, those that moved between OPDs and those reopened after "resolved".

The stage a request still waits in has no end yet: it is worked out when asked (`store.history.handoff`), for the
whole column of open requests, from each one's row: `status`, `opd`, `stage_started` (where the stage began on the
line of working days, `working_day_position`) and `opd_days_before` (its closed working days with its current OPD).
Pure, no I/O.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from store.contract.calendar import working_day_position
from store.contract.events import STATUS_RANK, STATUSES, TERMINAL
from store.history.models import BUCKETS_PER_DOUBLING, duration_bucket

STAGES = STATUSES[:4]  # the stages a request waits in; resolved and rejected end it
MINUTES_PER_DAY = 24 * 60


def areas_of(regency: str) -> tuple[str, str]:
    """The areas a regency's request counts in: the regency, and its province in all."""
    return regency, regency.split(".")[0]


def days_bucket(working_days: float) -> int:
    """The histogram bucket of a wait in working days (as `duration_bucket` of its minutes; rounded to a
    microminute first, so that a row-wise and a column-wise computation of the same wait share a bucket)."""
    return duration_bucket(round(working_days * MINUTES_PER_DAY, 6))


def days_buckets(working_days: np.ndarray) -> np.ndarray:
    """`days_bucket` of a whole column of waits."""
    minutes = np.round(np.asarray(working_days, dtype=float) * MINUTES_PER_DAY, 6)
    return np.where(minutes < 1, 0, 1 + np.floor(BUCKETS_PER_DOUBLING * np.log2(np.maximum(minutes, 1)))).astype(int)


@dataclass(frozen=True)
class Change:
    """One status change of a request's timeline."""

    status: str
    ts: datetime
    opd: str
    event_id: str

    @property
    def order(self) -> tuple[datetime, int, str]:
        """The live ordering of events: time, then status rank, then event_id."""
        return (self.ts, STATUS_RANK[self.status], self.event_id)


@dataclass
class Contribution:
    """What one request adds to the stage tables (see the module's description)."""

    stages: dict[tuple[str, str, str, int], int] = field(default_factory=lambda: defaultdict(int))
    opd_totals: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))
    requests: int = 0
    bounced: int = 0
    reopened: int = 0
    opd_days_before: float | None = None  # closed working days with the current OPD, while a stage is open
    stage_started: float | None = None  # where the open stage began on the line of working days

    def open_stage(self) -> dict[str, float | None]:
        """The request row's columns that its open stage is worked out from (None once it is closed)."""
        return {"opd_days_before": self.opd_days_before, "stage_started": self.stage_started}


def contribution(category: str, changes: list[Change]) -> Contribution:
    """A request's contribution, from its category and its timeline (in any order)."""
    timeline = sorted(changes, key=lambda change: change.order)
    found = Contribution()
    if not timeline:
        return found
    # A stage's working days are the difference of its ends' positions (`working_days_between` counts alike).
    positions = [working_day_position(change.ts) for change in timeline]
    per_opd: dict[str, float] = defaultdict(float)
    for index, this in enumerate(timeline):
        if this.status not in STAGES:
            continue
        found.requests = 1
        if index == len(timeline) - 1:  # the stage it still waits in: worked out when asked
            break
        days = max(0.0, positions[index + 1] - positions[index])
        found.stages[(this.opd, category, this.status, days_bucket(days))] += 1
        per_opd[this.opd] += days
    current = timeline[-1]
    still_open = current.status not in TERMINAL
    for opd, days in per_opd.items():
        if still_open and opd == current.opd:
            continue  # its time with the OPD it waits with is not over
        found.opd_totals[(opd, days_bucket(days))] += 1
    if still_open:
        found.opd_days_before = per_opd.get(current.opd, 0.0)
        found.stage_started = positions[-1]
    # Counted for a request that waited in some stage, as `requests` is.
    pairs = list(itertools.pairwise(timeline))
    found.bounced = found.requests * any(after.opd != this.opd for this, after in pairs)
    reopened = any(this.status == "resolved" and after.status != "resolved" for this, after in pairs)
    found.reopened = found.requests * reopened
    return found
