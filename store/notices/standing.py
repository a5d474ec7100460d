"""The notices' standing the wall shows (`store.contract.notice_standing`): counted in SQL and published in Redis
by the notices worker after each pass, and by the web app after an acknowledgement, so the wall drops an
acknowledged escalation without waiting for the next pass."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import redis
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, sessionmaker

from store.contract.keys import Keys
from store.contract.notice_standing import OPDS_KEPT, NoticeStanding
from store.contract.settings import Settings
from store.notices.models import FAILED, PENDING, Escalation, Notice
from store.notices.outbox import AWAITS_SOMEONE, per_opd
from store.notices.rules import TIERS, breach_rules, rules_of

log = logging.getLogger(__name__)

FRESH_PASSES = 3  # a standing older than this many of the worker's passes reads as stale
FAILED_SINCE = timedelta(days=1)  # given-up deliveries counted: those of the last day, as `/ops` shows the outbox


def count_standing(
    session: Session, province: str, breaches: set[str], now: datetime, fresh: timedelta
) -> NoticeStanding:
    """The province's standing at `now`, reading as fresh for `fresh`."""
    unacknowledged = (Escalation.province == province, Escalation.acknowledged_at.is_(None))
    awaiting, at_top, breached = session.execute(
        select(
            func.sum(case((AWAITS_SOMEONE, 1), else_=0)),
            func.sum(case((Escalation.tier == TIERS[-1], 1), else_=0)),
            func.sum(case((Escalation.rule.in_(breaches), 1), else_=0)),
        ).where(*unacknowledged)
    ).one()
    opds = select(Escalation.regency, Escalation.opd).where(*unacknowledged, AWAITS_SOMEONE).distinct().subquery()
    opds_waiting = session.scalar(select(func.count()).select_from(opds)) or 0
    given_up = and_(Notice.status == FAILED, Notice.created_at >= now - FAILED_SINCE)
    pending, failed = session.execute(
        select(func.sum(case((Notice.status == PENDING, 1), else_=0)), func.sum(case((given_up, 1), else_=0))).where(
            Notice.province == province, Notice.status.in_((PENDING, FAILED))
        )
    ).one()
    return NoticeStanding(
        as_of=now,
        fresh_until=now + fresh,
        awaiting=int(awaiting or 0),
        at_top=int(at_top or 0),
        breached=int(breached or 0),
        pending=int(pending or 0),
        failed=int(failed or 0),
        opds=tuple(per_opd(session, province, breaches, OPDS_KEPT)),
        opds_waiting=opds_waiting,
    )


def publish_standing(
    sessions: sessionmaker[Session], client: redis.Redis, settings: Settings, province: str, now: datetime
) -> None:
    """Count the province's standing at `now` and make it the one the live worker carries to the wall. Without
    Redis the wall keeps the last count, which reads as stale in time: nothing else waits on it."""
    breaches = breach_rules(rules_of(province, settings.notice_rules_file()))
    fresh = timedelta(seconds=FRESH_PASSES * settings.notice_pass_seconds)
    with sessions() as session:
        standing = count_standing(session, province, breaches, now, fresh)
    try:
        client.set(Keys(province).notice_standing, standing.to_json())
    except redis.RedisError as exc:
        log.warning("notices: the standing of %s not published (%s)", province, exc)
