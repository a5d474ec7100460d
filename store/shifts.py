"""Shifts of the command centre (from `Settings.shifts`, in WIB) and the handover digest since a shift began."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.alerts import AlertBook
from store.calendar import WIB
from store.history import OPEN, ServiceRequest, StatusChange

DAY_MINUTES = 24 * 60


@dataclass(frozen=True)
class Shift:
    name: str
    start: int  # minutes after midnight WIB
    end: int  # minutes after midnight WIB; below `start` for a shift over midnight


def _minutes(text: str) -> int:
    hours, _, minutes = text.strip().partition(":")
    if not hours.isdigit() or (minutes and not minutes.isdigit()):
        raise ValueError(f"shift time {text!r} is not HH or HH:MM")
    value = int(hours) * 60 + int(minutes or 0)
    if int(hours) > 24 or int(minutes or 0) > 59 or value > DAY_MINUTES:
        raise ValueError(f"shift time {text!r} is out of range")
    return value % DAY_MINUTES


def parse_shifts(spec: str) -> list[Shift]:
    """Parse `07-15,15-23,23-07` (optionally `name=07:30-15:30`); the shifts must cover the day without overlap."""
    shifts = []
    for item in filter(None, (part.strip() for part in spec.split(","))):
        name, sep, span = item.rpartition("=")
        start, dash, end = span.partition("-")
        if not dash:
            raise ValueError(f"shift {item!r} is not of the form HH-HH")
        shifts.append(Shift(name.strip() if sep else span.strip(), _minutes(start), _minutes(end)))
    if not shifts:
        raise ValueError("no shifts given")
    total = sum((s.end - s.start) % DAY_MINUTES or DAY_MINUTES for s in shifts)
    ordered = sorted(shifts, key=lambda s: s.start)
    joined = all(a.end == b.start for a, b in zip(ordered, ordered[1:] + ordered[:1], strict=True))
    if total != DAY_MINUTES or not joined:
        raise ValueError(f"shifts {spec!r} must cover the 24 hours exactly, each starting where another ends")
    return shifts


def current_shift(now: datetime, shifts: list[Shift]) -> tuple[datetime, datetime, str]:
    """The shift under way at `now`: (start, end, name), times in WIB; a shift over midnight began yesterday."""
    local = now.astimezone(WIB)
    minute = local.hour * 60 + local.minute
    for shift in shifts:
        length = (shift.end - shift.start) % DAY_MINUTES or DAY_MINUTES
        into = (minute - shift.start) % DAY_MINUTES
        if into < length:
            start = _at(local.date(), shift.start) - timedelta(days=1 if minute < shift.start else 0)
            return start, start + timedelta(minutes=length), shift.name
    raise ValueError("no shift covers this time")  # parse_shifts makes this unreachable


def _at(day: date, minutes: int) -> datetime:
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=WIB)


def digest(session: Session, book: AlertBook, snapshot: dict[str, Any], since: datetime, now: datetime) -> dict:
    """What happened in [since, now): the handover digest, JSON-ready and printable.

    From the SQL history: `new` (requests received), `resolved`, `became_overdue` (open requests whose
    deadline passed in the period) and `stage_changes` (status events per status); from the live snapshot:
    `overdue_now`; from Redis: `acknowledged` alerts. Totals, and per regency where anything happened.
    """
    window = (since, now)
    new = _per_regency(session, ServiceRequest.received_at, window)
    resolved = _per_regency(session, ServiceRequest.resolved_at, window, ServiceRequest.status == "resolved")
    became_overdue = _per_regency(session, ServiceRequest.due_at, window, OPEN)
    stages = session.execute(
        select(StatusChange.status, func.count())
        .where(StatusChange.ts >= since, StatusChange.ts < now)
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


def _per_regency(session: Session, column: Any, window: tuple[datetime, datetime], *where: Any) -> dict[str, int]:
    start, end = window
    rows = session.execute(
        select(ServiceRequest.regency, func.count())
        .where(column >= start, column < end, *where)
        .group_by(ServiceRequest.regency)
    ).all()
    return {regency: n for regency, n in rows}
