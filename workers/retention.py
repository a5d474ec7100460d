"""Retention of the event-level history (`HISTORY_RETENTION_DAYS`): the status changes and KPI samples older than
the setting go, at most once an hour per province, by whichever archive process takes the turn.

- On SQLite, a province's rows are deleted in small batches.
- On PostgreSQL, where those tables are partitioned by month (`store.history.partitions`), a month goes whole: its
  partitions are dropped once the entire month is older than the setting, for every province at once (the setting
  is the installation's). A row stays up to a month longer than the setting, and nothing is deleted row by row.

The daily tables and each request's own row stay, so every page's figures over any period remain; what goes is the
timelines of requests and the KPI series older than the setting. The setting is at least 31 days: intake refuses an
event more than 30 days old (`store.contract.events.MAX_PAST`), so no event whose row was deleted can come back and be
counted again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta

import redis
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from store.contract import clock as shared_clock
from store.contract.keys import Keys
from store.history.models import KpiSample, StatusChange
from store.history.partitions import PARTITIONED, drop_months_before
from store.live.sampling import claim_turn

PRUNE_EVERY = timedelta(hours=1)
BATCH_ROWS = 5_000  # rows deleted per transaction: the archive's own writes never wait long behind one
LOOK_EVERY_SECONDS = 60.0  # how often a worker asks whether it is its turn


def prune(sessions: sessionmaker[Session], province: str, before: datetime) -> int:
    """Delete the province's status changes and KPI samples timed before `before` (on PostgreSQL: every province's,
    by the month); returns how many."""
    if sessions.kw["bind"].dialect.name == "postgresql":
        with sessions.begin() as session:
            return sum(drop_months_before(session.connection(), table, before) for table in PARTITIONED)
    deleted = 0
    for table in (StatusChange, KpiSample):
        while True:
            old = select(table.event_id).where(table.regency.startswith(f"{province}."), table.ts < before)
            with sessions.begin() as session:
                gone = session.execute(
                    delete(table).where(table.event_id.in_(old.limit(BATCH_ROWS).scalar_subquery()))
                ).rowcount
            deleted += gone
            if gone < BATCH_ROWS:
                break
    return deleted


class Retention:
    """The archive worker's idle hook for one province (`WorkerSpec.on_idle`); does nothing when `days` is 0."""

    def __init__(
        self,
        client: redis.Redis,
        sessions: sessionmaker[Session],
        province: str,
        days: int,
        clock: Callable[[], datetime] = shared_clock.now,
    ) -> None:
        self.redis = client
        self.sessions = sessions
        self.province = province
        self.days = days
        self.clock = clock
        self._looked = float("-inf")

    def __call__(self) -> int:
        if not self.days or time.monotonic() - self._looked < LOOK_EVERY_SECONDS:
            return 0
        self._looked = time.monotonic()
        now = self.clock()
        if not claim_turn(self.redis, Keys(self.province).sampler("retention"), now, PRUNE_EVERY):
            return 0
        return prune(self.sessions, self.province, now - timedelta(days=self.days))
