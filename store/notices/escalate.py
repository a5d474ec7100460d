"""Rules over a province's open requests: the escalations they set off and the climb of those nobody
acknowledges, each with its notices written into the outbox in the same transaction.

A time rule fires once the moment it measures to (a share of a deadline, on the line of working days) has passed,
within the last `LOOK_BACK`: a request the archive wrote late is still caught, and a new installation does not tell
everyone about every old request at once. The escalation's unique key (request and rule) keeps every later pass, and
a second worker, from raising it again. A bounce rule fires for the requests whose state changed in that window.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

import numpy as np
from sqlalchemy import or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from store.contract.calendar import working_day_position
from store.contract.events import STATUS_RANK, TERMINAL
from store.history.areas import within
from store.history.models import ServiceRequest, StatusChange
from store.notices.contacts import Contact, recipients_for
from store.notices.models import PENDING, Escalation, Notice
from store.notices.rules import Rule, next_tier

KEYS_PER_LOOKUP = 500
_TIMELINE = (StatusChange.request_id, StatusChange.ts, StatusChange.status, StatusChange.event_id, StatusChange.opd)


@dataclass(frozen=True)
class Crossing:
    """A request that set off a rule."""

    regency: str
    request_id: str
    opd: str
    rule: Rule


LOOK_BACK = timedelta(days=1)
STAGE_SLACK_DAYS = 30  # calendar days beyond a stage rule's working days that holidays and weekends may add


def crossings(session: Session, province: str, rules: Sequence[Rule], now: datetime) -> list[Crossing]:
    """The rules the province's open requests set off within `LOOK_BACK` of `now`, raised or not."""
    since = now - LOOK_BACK
    # Only a request whose deadline is still ahead of the window, or whose stage began recently enough for a stage
    # rule to fire in it, can set a time rule off: the long-overdue rest of the open requests is not read.
    longest = max((rule.working_days or 0 for rule in rules), default=0)
    recent = since - timedelta(days=STAGE_SLACK_DAYS + 2 * longest)
    columns = (
        ServiceRequest.regency,
        ServiceRequest.request_id,
        ServiceRequest.opd,
        ServiceRequest.status,
        ServiceRequest.received_at,
        ServiceRequest.due_at,
        ServiceRequest.stage_started,
        ServiceRequest.status_at,
    )
    rows = session.execute(
        select(*columns).where(
            within(ServiceRequest.regency, province),
            ServiceRequest.status.not_in(TERMINAL),
            or_(ServiceRequest.due_at > since, ServiceRequest.status_at > recent),
        )
    ).all()
    start, end = working_day_position(since), working_day_position(now)
    received = np.array([working_day_position(row.received_at) for row in rows])
    due = np.array([working_day_position(row.due_at) for row in rows])
    stage = np.array([np.nan if row.stage_started is None else row.stage_started for row in rows])
    statuses = np.array([row.status for row in rows])
    found = []
    for rule in rules:
        if rule.kind == "bounces":
            continue
        if rule.kind == "request":
            crossed = received + rule.share * (due - received)
        else:
            # A rule timing the first stages (forwarding) runs from the request's arrival; any other, from its
            # stage's start.
            began = received if "received" in rule.stages else stage
            crossed = np.where(np.isin(statuses, rule.stages), began + rule.share * (rule.working_days or 0), np.nan)
        for index in np.flatnonzero((crossed > start) & (crossed <= end)):
            row = rows[index]
            found.append(Crossing(row.regency, row.request_id, row.opd, rule))
    bounce_rules = [rule for rule in rules if rule.kind == "bounces"]
    if bounce_rules:
        moved = [row for row in rows if row.status_at > since]
        moves = _moves(session, [(row.regency, row.request_id) for row in moved])
        for row in moved:
            for rule in bounce_rules:
                if moves.get((row.regency, row.request_id), 0) >= (rule.bounces or 0):
                    found.append(Crossing(row.regency, row.request_id, row.opd, rule))
    return found


def _moves(session: Session, requests: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """How many times each request moved between OPDs, from its timeline (one look-up per regency)."""
    by_regency: dict[str, list[str]] = defaultdict(list)
    for regency, request_id in requests:
        by_regency[regency].append(request_id)
    timelines: dict[tuple[str, str], list] = defaultdict(list)
    for regency, request_ids in by_regency.items():
        for start in range(0, len(request_ids), KEYS_PER_LOOKUP):
            changes = session.execute(
                select(*_TIMELINE).where(
                    StatusChange.regency == regency,
                    StatusChange.request_id.in_(request_ids[start : start + KEYS_PER_LOOKUP]),
                )
            ).all()
            for change in changes:
                timelines[(regency, change.request_id)].append(change)
    moves = {}
    for identity, timeline in timelines.items():
        ordered = sorted(timeline, key=lambda c: (c.ts, STATUS_RANK[c.status], c.event_id))
        moves[identity] = sum(a.opd != b.opd for a, b in pairwise(ordered))
    return moves


def raise_escalations(
    session: Session, province: str, found: Sequence[Crossing], contacts: tuple[Contact, ...], now: datetime
) -> list[Escalation]:
    """An escalation for each crossing not raised before, with its first tier's notices; returns those raised."""
    by_key = {f"{c.regency}:{c.request_id}:{c.rule.name}": c for c in found}
    raised_before: set[str] = set()
    keys = list(by_key)
    for start in range(0, len(keys), KEYS_PER_LOOKUP):
        chunk = keys[start : start + KEYS_PER_LOOKUP]
        raised_before.update(session.scalars(select(Escalation.key).where(Escalation.key.in_(chunk))))
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    raised = []
    for key, crossing in by_key.items():
        if key in raised_before:
            continue
        minutes = crossing.rule.escalate_minutes
        values = {
            "key": key,
            "province": province,
            "regency": crossing.regency,
            "request_id": crossing.request_id,
            "opd": crossing.opd,
            "rule": crossing.rule.name,
            "tier": crossing.rule.tier,
            "raised_at": now,
            "climbs_at": now + timedelta(minutes=minutes) if minutes else None,
        }
        # Another worker may have raised it since the look-up: the key decides, and the later one does nothing.
        new_id = session.scalar(
            insert(Escalation).values(values).on_conflict_do_nothing(index_elements=["key"]).returning(Escalation.id)
        )
        if new_id is None:
            continue
        escalation = session.get(Escalation, new_id)
        assert escalation is not None
        _notify(session, escalation, contacts, now)
        raised.append(escalation)
    return raised


def climb(session: Session, province: str, rules: Sequence[Rule], contacts: tuple[Contact, ...], now: datetime) -> int:
    """Each escalation nobody acknowledged in time climbs a tier, with that tier's notices; returns how many."""
    minutes = {rule.name: rule.escalate_minutes for rule in rules}
    due = session.scalars(
        select(Escalation).where(
            Escalation.province == province,
            Escalation.climbs_at.is_not(None),
            Escalation.climbs_at <= now,
            Escalation.acknowledged_at.is_(None),
        )
    ).all()
    for escalation in due:
        higher = next_tier(escalation.tier)
        if higher is None:
            escalation.climbs_at = None
            continue
        escalation.tier = higher
        wait = minutes.get(escalation.rule)
        escalation.climbs_at = now + timedelta(minutes=wait) if wait and next_tier(higher) else None
        _notify(session, escalation, contacts, now)
    return len(due)


def acknowledge(session: Session, escalation_id: int, by: str, now: datetime) -> bool:
    """Stop an escalation's climb in `by`'s name; False when it was acknowledged already (or is unknown)."""
    result = session.execute(
        update(Escalation)
        .where(Escalation.id == escalation_id, Escalation.acknowledged_at.is_(None))
        .values(acknowledged_at=now, acknowledged_by=by, climbs_at=None)
    )
    return bool(result.rowcount)


def _notify(session: Session, escalation: Escalation, contacts: tuple[Contact, ...], now: datetime) -> None:
    """The outbox rows of the escalation's current tier: one per recipient."""
    for recipient in recipients_for(contacts, escalation.province, escalation.tier, escalation.regency, escalation.opd):
        identity = f"{escalation.key}:{escalation.tier}:{recipient.channel}:{recipient.address}"
        session.add(
            Notice(
                idempotency_key=hashlib.sha256(identity.encode()).hexdigest()[:40],
                escalation_id=escalation.id,
                province=escalation.province,
                tier=escalation.tier,
                channel=recipient.channel,
                recipient=recipient.address,
                status=PENDING,
                attempts=0,
                created_at=now,
                next_attempt_at=now,
            )
        )
    session.flush()
