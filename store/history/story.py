"""One request's story, from the archive: every status change with its time and OPD, the working days spent in
each stage against the deadline, the moves between agencies, and any return after "resolved" (rework)."""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.contract.calendar import iso_wib, working_days_between
from store.contract.events import STATUS_RANK, TERMINAL
from store.history.areas import within
from store.history.models import ServiceRequest, StatusChange
from store.history.open_requests import case_of


def regencies_with_request(session: Session, area: str, request_id: str) -> list[str]:
    """The regencies of `area` (a province's code) holding a request numbered `request_id`: two regencies'
    applications may number their requests alike."""
    return list(
        session.scalars(
            select(ServiceRequest.regency)
            .where(ServiceRequest.request_id == request_id, within(ServiceRequest.regency, area))
            .order_by(ServiceRequest.regency)
        )
    )


def request_story(session: Session, regency: str, request_id: str, now: datetime) -> dict[str, Any] | None:
    """The request's row (`case_of`), its `changes` in order (status, time, OPD), its `stages` (status, OPD,
    start, end, working days; the last runs to `now` while the request is open), `moves` between OPDs,
    `reopened` (changes back from "resolved"), and its deadline standing; None when the archive has no such
    request."""
    request = session.get(ServiceRequest, (regency, request_id))
    if request is None:
        return None
    changes = sorted(
        session.scalars(
            select(StatusChange).where(StatusChange.regency == regency, StatusChange.request_id == request_id)
        ),
        key=lambda c: (c.ts, STATUS_RANK.get(c.status, 0), c.event_id),
    )
    ends = [c.ts for c in changes[1:]] + [None if request.status in TERMINAL else now]
    stages = [
        {
            "status": change.status,
            "opd": change.opd,
            "start": iso_wib(change.ts),
            "end": iso_wib(end),
            "working_days": round(working_days_between(change.ts, end), 2) if end else None,
        }
        for change, end in zip(changes, ends, strict=True)
    ]
    moves = [
        {"from": before.opd, "to": after.opd, "at": iso_wib(after.ts)}
        for before, after in pairwise(changes)
        if after.opd != before.opd
    ]
    reopened = [
        {"status": after.status, "at": iso_wib(after.ts)}
        for before, after in pairwise(changes)
        if before.status == "resolved" and after.status != "resolved"
    ]
    finished = request.resolved_at or (request.status_at if request.status in TERMINAL else None)
    late_days = working_days_between(request.due_at, finished or now)
    return {
        **case_of(request, now),
        "changes": [{"status": c.status, "at": iso_wib(c.ts), "opd": c.opd, "event_id": c.event_id} for c in changes],
        "stages": stages,
        "moves": moves,
        "reopened": reopened,
        "resolved_at": iso_wib(request.resolved_at),
        "within_deadline": request.within_deadline,
        "working_days_taken": round(working_days_between(request.received_at, finished or now), 2),
        "working_days_late": round(late_days, 2),
    }
