"""What `/ops` shows of the notices: the outbox by status, the deliveries failing or given up, and the
escalations still waiting for someone to acknowledge them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from store.contract.notice_standing import OpdStanding
from store.notices.models import FAILED, PENDING, Escalation, Notice
from store.notices.rules import TIERS

_tier_rank = case({tier: rank for rank, tier in enumerate(TIERS)}, value=Escalation.tier)
# An escalation that awaits someone: it climbs, or has climbed to the top. One that only informs (half the
# deadline gone) awaits no one.
AWAITS_SOMEONE = or_(Escalation.climbs_at.is_not(None), Escalation.tier == TIERS[-1])


@dataclass(frozen=True)
class Waiting:
    id: int
    regency: str
    request_id: str
    opd: str
    rule: str
    tier: str
    raised_at: datetime
    climbs_at: datetime | None


@dataclass(frozen=True)
class Trouble:
    channel: str
    recipient: str
    tier: str
    status: str
    attempts: int
    last_error: str
    next_attempt_at: datetime | None
    regency: str
    request_id: str
    rule: str


def outbox_counts(session: Session, province: str, since: datetime) -> dict[str, int]:
    """The province's notices created since `since`, by status (pending, sent, failed)."""
    rows = session.execute(
        select(Notice.status, func.count())
        .where(Notice.province == province, Notice.created_at >= since)
        .group_by(Notice.status)
    ).all()
    return {status: count for status, count in rows}


def awaiting(session: Session, province: str, limit: int) -> tuple[list[Waiting], int]:
    """The escalations nobody has acknowledged that climb, or have climbed to the top, the highest tier and the
    oldest first, and how many in all. A notice that only informs (half the deadline gone) awaits no one."""
    waiting = (Escalation.province == province, Escalation.acknowledged_at.is_(None), AWAITS_SOMEONE)
    total = session.scalar(select(func.count()).select_from(Escalation).where(*waiting)) or 0
    rows = session.scalars(
        select(Escalation).where(*waiting).order_by(_tier_rank.desc(), Escalation.raised_at).limit(limit)
    ).all()
    shown = [Waiting(e.id, e.regency, e.request_id, e.opd, e.rule, e.tier, e.raised_at, e.climbs_at) for e in rows]
    return shown, total


def troubles(session: Session, province: str, limit: int) -> list[Trouble]:
    """Deliveries that failed at least once and are not through: given up first, then by their next attempt."""
    rows = session.execute(
        select(Notice, Escalation.regency, Escalation.request_id, Escalation.rule)
        .join(Escalation, Escalation.id == Notice.escalation_id)
        .where(Notice.province == province, Notice.status.in_((PENDING, FAILED)), Notice.attempts > 0)
        .order_by((Notice.status == FAILED).desc(), Notice.next_attempt_at)
        .limit(limit)
    ).all()
    return [
        Trouble(n.channel, n.recipient, n.tier, n.status, n.attempts, n.last_error or "", n.next_attempt_at, *rest)
        for n, *rest in rows
    ]


def per_opd(session: Session, province: str, breaches: set[str], limit: int) -> list[OpdStanding]:
    """Each OPD's unacknowledged escalations (those awaiting someone, those of a passed deadline) and deliveries
    still pending, the most awaiting first."""
    unacknowledged = (Escalation.province == province, Escalation.acknowledged_at.is_(None))
    awaiting_count = func.sum(case((AWAITS_SOMEONE, 1), else_=0))
    breached_count = func.sum(case((Escalation.rule.in_(breaches), 1), else_=0))
    rows = session.execute(
        select(Escalation.regency, Escalation.opd, awaiting_count, breached_count)
        .where(*unacknowledged)
        .group_by(Escalation.regency, Escalation.opd)
        .order_by(awaiting_count.desc(), breached_count.desc(), Escalation.regency, Escalation.opd)
        .limit(limit)
    ).all()
    pending = {
        (regency, opd): count
        for regency, opd, count in session.execute(
            select(Escalation.regency, Escalation.opd, func.count())
            .join(Notice, Notice.escalation_id == Escalation.id)
            .where(Notice.province == province, Notice.status == PENDING)
            .group_by(Escalation.regency, Escalation.opd)
        ).all()
    }
    return [
        OpdStanding(regency, opd, int(awaiting or 0), int(breached or 0), pending.get((regency, opd), 0))
        for regency, opd, awaiting, breached in rows
    ]
