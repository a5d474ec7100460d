"""A regency's open requests by how urgent they are: nearest their deadline (the drill-down's watch) and longest
open (the briefing's oldest)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.contract.calendar import iso_wib
from store.history.areas import within
from store.history.models import OPEN, ServiceRequest


def deadline_watch(session: Session, code: str, now: datetime, limit: int = 20) -> list[dict[str, Any]]:
    """The regency's open requests nearest to (or furthest past) their deadline, earliest deadline first,
    with `hours_left` (negative when overdue) and `overdue`."""
    return [
        {**case_of(r, now), "hours_left": round((r.due_at - now).total_seconds() / 3600, 1)}
        for r in _open_requests(session, code, ServiceRequest.due_at, limit)
    ]


def oldest_open(session: Session, code: str, now: datetime, limit: int = 5) -> list[dict[str, Any]]:
    """The regency's open requests received longest ago, oldest first, with their `age_days` at `now`."""
    return [
        {**case_of(r, now), "age_days": round((now - r.received_at).total_seconds() / 86400, 1)}
        for r in _open_requests(session, code, ServiceRequest.received_at, limit)
    ]


def _open_requests(session: Session, code: str, order: Any, limit: int) -> Any:
    """A regency's open requests; a province's (two-digit code) for the national briefing."""
    where = within(ServiceRequest.regency, code)
    return session.scalars(
        select(ServiceRequest).where(where, OPEN).order_by(order, ServiceRequest.request_id).limit(limit)
    )


def case_of(r: ServiceRequest, now: datetime) -> dict[str, Any]:
    """What a table row shows of a request (its regency and id link to its page)."""
    return {
        "regency": r.regency,
        "request_id": r.request_id,
        "title": r.title,
        "category": r.category,
        "opd": r.opd,
        "status": r.status,
        "priority": r.priority,
        "received_at": iso_wib(r.received_at),
        "due_at": iso_wib(r.due_at),
        "overdue": r.due_at < now,
    }
