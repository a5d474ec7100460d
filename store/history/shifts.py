"""Shifts of the command centre (`Settings.shifts`, in WIB) and the handover digest since a shift began."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.contract.calendar import WIB
from store.contract.shifts import DAY_MINUTES, Shift
from store.history.models import OPEN, ServiceRequest, StatusChange
from store.live.alerts import AlertBook


def current_shift(now: datetime, shifts: Sequence[Shift]) -> tuple[datetime, datetime, str]:
    """The shift under way at `now`: (start, end, name), times in WIB; a shift over midnight began yesterday."""
    local = now.astimezone(WIB)
    minute = local.hour * 60 + local.minute
    for shift in shifts:
        length = (shift.end - shift.start) % DAY_MINUTES or DAY_MINUTES
        into = (minute - shift.start) % DAY_MINUTES
        if into < length:
            start = _at(local.date(), shift.start) - timedelta(days=1 if minute < shift.start else 0)
            return start, start + timedelta(minutes=length), shift.name
    raise ValueError("no shift covers this time")  # store.contract.settings.parse_shifts makes this unreachable


def _at(day: date, minutes: int) -> datetime:
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=WIB)


def digest(session: Session, book: AlertBook, snapshot: dict[str, Any], since: datetime, now: datetime) -> dict:
    """What happened in [since, now): the handover digest, JSON-ready and printable.

    From the SQL history: `new` (requests received), `resolved`, `became_overdue` (open requests whose
    deadline passed in the period) and `stage_changes` (status events per status); from the live snapshot:
    `overdue_now`; from Redis: `acknowledged` alerts. Totals, and per regency where anything happened.
    Only the regencies of the snapshot's province count: one database holds every province of a deployment.
    """
    window, province = (since, now), tuple(snapshot["regencies"])
    new = _per_regency(session, ServiceRequest.received_at, window, province)
    resolved = _per_regency(session, ServiceRequest.resolved_at, window, province, ServiceRequest.status == "resolved")
    became_overdue = _per_regency(session, ServiceRequest.due_at, window, province, OPEN)
    stages = session.execute(
        select(StatusChange.status, func.count())
        .where(StatusChange.ts >= since, StatusChange.ts < now, StatusChange.regency.in_(province))
        .group_by(StatusChange.status)
    ).all()
    acknowledged = book.acknowledged_between(since, now)
    overdue_now = {code: f["overdue"] for code, f in snapshot["regencies"].items() if f["overdue"]}
    codes = sorted(set(new) | set(resolved) | set(became_overdue) | set(overdue_now))
    return {
        "since": since.astimezone(WIB).isoformat(timespec="minutes"),
        "until": now.astimezone(WIB).isoformat(timespec="minutes"),
        "totals": {
            "new": sum(new.values()),
            "resolved": sum(resolved.values()),
            "became_overdue": sum(became_overdue.values()),
            "overdue_now": snapshot["totals"]["overdue"],
            "acknowledged": len(acknowledged),
        },
        "stage_changes": {status: n for status, n in stages},
        "regencies": {
            code: {
                "new": new.get(code, 0),
                "resolved": resolved.get(code, 0),
                "became_overdue": became_overdue.get(code, 0),
                "overdue_now": overdue_now.get(code, 0),
            }
            for code in codes
        },
        "acknowledged": acknowledged,
    }


def _per_regency(
    session: Session, column: Any, window: tuple[datetime, datetime], regencies: Sequence[str], *where: Any
) -> dict[str, int]:
    start, end = window
    rows = session.execute(
        select(ServiceRequest.regency, func.count())
        .where(column >= start, column < end, ServiceRequest.regency.in_(regencies), *where)
        .group_by(ServiceRequest.regency)
    ).all()
    return {regency: n for regency, n in rows}
