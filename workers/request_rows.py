"""How a request's events fold into its row by the live rules (received at the earliest (ts, event_id); state from
the latest by ts, status rank, event_id), and how the daily tables change by the difference between a request's old
and new contribution: pure, no I/O."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from store.contract.calendar import WIB, deadline
from store.contract.events import STATUS_RANK
from store.contract.reference import Reference
from store.history.models import (
    DailyCategory,
    DailyDuration,
    DailyOpd,
    DailyOpdDuration,
    DailyOpdWait,
    DailyRework,
    DailyRollup,
    DailyStageWait,
    WeeklyStageWait,
    duration_bucket,
)
from store.history.periods import week_of
from store.history.stage_waits import Contribution, areas_of


def later(ts: datetime, rank: int, event_id: str, old_ts: datetime, old_rank: int, old_event_id: str) -> bool:
    """The live ordering of events: by time, then status rank, then event_id."""
    return (ts, rank, event_id) > (old_ts, old_rank, old_event_id)


def merged(state: dict[str, Any] | None, event: dict[str, Any], reference: Reference) -> dict[str, Any]:
    """A request's state after one more event, whatever the order events arrive in."""
    ts, status, event_id = event["ts"], event["status"], event["event_id"]
    new = (
        dict(state)
        if state
        else {
            "regency": event["regency_code"],
            "request_id": event["request_id"],
            "sla_due": None,
            "sla_due_set_at": None,
        }
    )
    if state is None or (ts, event_id) < (state["received_at"], state["received_event_id"]):
        working_days = reference.categories[event["category"]].deadline_working_days
        new["received_at"] = ts
        new["received_event_id"] = event_id
        new["received_day"] = ts.astimezone(WIB).date()
        new["auto_due_at"] = deadline(ts, working_days).astimezone(UTC)
    is_latest = state is None or later(
        ts, STATUS_RANK[status], event_id, state["status_at"], STATUS_RANK[state["status"]], state["status_event_id"]
    )
    if is_latest:
        new.update(
            status=status,
            status_at=ts,
            status_event_id=event_id,
            category=event["category"],
            channel=event["channel"],
            opd=event["opd"],
        )
    for field in ("title", "priority", "satisfaction"):
        if event.get(field) is not None and (is_latest or new.get(field) is None):
            new[field] = event[field]
        new.setdefault(field, None)
    if event.get("sla_due") and (
        new["sla_due_set_at"] is None or later(ts, 0, event_id, new["sla_due_set_at"], 0, new["sla_due_event_id"])
    ):
        new.update(sla_due=event["sla_due"], sla_due_set_at=ts, sla_due_event_id=event_id)
    new.setdefault("sla_due_event_id", None)
    new["due_at"] = new["sla_due"] or new["auto_due_at"]
    resolved = new["status"] == "resolved"
    new["resolved_at"] = new["status_at"] if resolved else None
    new["resolved_day"] = new["status_at"].astimezone(WIB).date() if resolved else None
    new["resolve_minutes"] = (new["status_at"] - new["received_at"]).total_seconds() / 60 if resolved else None
    new["within_deadline"] = new["status_at"] <= new["due_at"] if resolved else None
    return new


class Deltas:
    """Changes to the daily tables, summed over a batch so each row is written once."""

    def __init__(self) -> None:
        self.daily: dict[tuple, dict[str, float]] = defaultdict(
            lambda: {"received": 0, "resolved": 0, "within_deadline": 0, "resolve_minutes_sum": 0.0}
        )
        self.categories: dict[tuple, dict[str, float]] = defaultdict(lambda: {"received": 0})
        self.durations: dict[tuple, dict[str, float]] = defaultdict(lambda: {"resolved": 0})
        self.opds: dict[tuple, dict[str, float]] = defaultdict(
            lambda: {"received": 0, "resolved": 0, "within_deadline": 0}
        )
        self.opd_durations: dict[tuple, dict[str, float]] = defaultdict(lambda: {"resolved": 0})
        self.stage_waits: dict[tuple, dict[str, float]] = defaultdict(lambda: {"requests": 0})
        self.weekly_stage_waits: dict[tuple, dict[str, float]] = defaultdict(lambda: {"requests": 0})
        self.opd_waits: dict[tuple, dict[str, float]] = defaultdict(lambda: {"requests": 0})
        self.reworks: dict[tuple, dict[str, float]] = defaultdict(lambda: {"requests": 0, "bounced": 0, "reopened": 0})

    def count(self, state: dict[str, Any], sign: int) -> None:
        """Add (sign +1) or remove (-1) one request's contribution: received on its received day,
        resolved (within deadline, time to resolve) on the day of its resolution."""
        received = (state["regency"], state["received_day"])
        for area in areas_of(state["regency"]):
            self.daily[(area, state["received_day"])]["received"] += sign
        self.categories[(*received, state["category"])]["received"] += sign
        self.opds[(*received, state["opd"])]["received"] += sign
        if state["status"] == "resolved":
            resolved = (state["regency"], state["resolved_day"])
            bucket = duration_bucket(state["resolve_minutes"])
            for area in areas_of(state["regency"]):
                daily = self.daily[(area, state["resolved_day"])]
                daily["resolved"] += sign
                daily["within_deadline"] += sign * state["within_deadline"]
                daily["resolve_minutes_sum"] += sign * state["resolve_minutes"]
                self.durations[(area, state["resolved_day"], bucket)]["resolved"] += sign
            by_opd = (*resolved, state["opd"])
            self.opds[by_opd]["resolved"] += sign
            self.opds[by_opd]["within_deadline"] += sign * state["within_deadline"]
            self.opd_durations[(*by_opd, bucket)]["resolved"] += sign

    def count_waits(self, state: dict[str, Any], waits: Contribution, sign: int) -> None:
        """Add (sign +1) or remove (-1) one request's contribution to the stage tables, on its received day, in its
        regency and its province."""
        for area in areas_of(state["regency"]):
            received = (area, state["received_day"])
            week = (area, week_of(state["received_day"]))
            for key, n in waits.stages.items():
                self.stage_waits[(*received, *key)]["requests"] += sign * n
                self.weekly_stage_waits[(*week, *key)]["requests"] += sign * n
            for key, n in waits.opd_totals.items():
                self.opd_waits[(*received, *key)]["requests"] += sign * n
            rework = self.reworks[received]
            rework["requests"] += sign * waits.requests
            rework["bounced"] += sign * waits.bounced
            rework["reopened"] += sign * waits.reopened

    def tables(self) -> list[tuple[type, dict[tuple, dict[str, float]]]]:
        """Each daily table's model with its changes."""
        return [
            (DailyRollup, self.daily),
            (DailyCategory, self.categories),
            (DailyDuration, self.durations),
            (DailyOpd, self.opds),
            (DailyOpdDuration, self.opd_durations),
            (DailyStageWait, self.stage_waits),
            (WeeklyStageWait, self.weekly_stage_waits),
            (DailyOpdWait, self.opd_waits),
            (DailyRework, self.reworks),
        ]

    @staticmethod
    def rows(deltas: dict[tuple, dict[str, float]], key: tuple[str, ...], ordered: bool = True) -> list[dict[str, Any]]:
        """Rows with a non-zero change, in key order unless not `ordered` (so that concurrent writers lock rows in
        the same order)."""
        return [
            {**dict(zip(key, values_key, strict=True)), **values}
            for values_key, values in (sorted(deltas.items()) if ordered else deltas.items())
            if any(values.values())
        ]
