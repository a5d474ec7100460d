"""Retention of the event-level history on a real database: a province's status changes and KPI samples older
than the setting go, in batches; the daily tables, the requests' rows and other provinces' rows stay; one turn
an hour across processes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from store.contract.events import to_record, validate_event
from store.contract.reference import load_reference
from store.contract.settings import Settings
from store.history.db import make_sessionmaker
from store.history.models import DailyRollup, KpiSample, ServiceRequest, StatusChange
from workers import retention
from workers.archive import archive_batch
from workers.retention import Retention, prune

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


def _events(regency: str, at: datetime, tag: str) -> list[dict]:
    base = {"regency_code": regency, "ts": at.isoformat()}
    return [
        {
            **base,
            "event_id": f"{tag}-r",
            "type": "service_request",
            "request_id": f"{tag}",
            "status": "received",
            "category": "kesehatan",
            "channel": "web",
            "opd": "Dinas Kesehatan",
        },
        {**base, "event_id": f"{tag}-k", "type": "kpi", "metric": "harga_beras", "value": 14000.0},
    ]


def _archive(sessions, province: str, regency: str, at: datetime, tag: str) -> None:
    reference = load_reference(province)
    records = [to_record(validate_event(e, reference, at)) for e in _events(regency, at, tag)]
    with sessions.begin() as session:
        archive_batch(session, records, reference)


def _count(sessions, table) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(table))


def test_old_event_rows_of_the_province_go_and_the_figures_stay(db_url, redis_client, monkeypatch) -> None:
    if db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL drops whole months instead (tests/integration/test_partitions.py)")
    sessions = make_sessionmaker(db_url)
    _archive(sessions, "12", "12.71", NOW - timedelta(days=60), "old")
    _archive(sessions, "12", "12.71", NOW - timedelta(days=2), "new")
    _archive(sessions, "35", "35.78", NOW - timedelta(days=60), "jatim")
    daily = _count(sessions, DailyRollup)
    monkeypatch.setattr(retention, "BATCH_ROWS", 1)  # one row a transaction: the batches loop to the end

    assert prune(sessions, "12", NOW - timedelta(days=31)) == 2
    with sessions() as session:
        assert set(session.scalars(select(StatusChange.event_id))) == {"new-r", "jatim-r"}
        assert set(session.scalars(select(KpiSample.event_id))) == {"new-k", "jatim-k"}
    assert _count(sessions, ServiceRequest) == 3 and _count(sessions, DailyRollup) == daily
    sessions.kw["bind"].dispose()


def test_one_process_takes_the_turn_and_zero_keeps_everything(db_url, redis_client) -> None:
    sessions = make_sessionmaker(db_url)
    _archive(sessions, "12", "12.71", NOW - timedelta(days=70), "old")  # in a month entirely past the setting
    assert Retention(redis_client, sessions, "12", 0, clock=lambda: NOW)() == 0
    assert _count(sessions, StatusChange) == 1
    first, second = (Retention(redis_client, sessions, "12", 31, clock=lambda: NOW) for _ in range(2))
    assert first() == 2 and second() == 0  # the other process's turn this hour was taken
    sessions.kw["bind"].dispose()


@pytest.mark.parametrize("spec", ["7", "30", "-1"])
def test_a_retention_shorter_than_intake_accepts_is_refused(spec: str) -> None:
    with pytest.raises(ValueError, match="HISTORY_RETENTION_DAYS"):
        Settings.from_env({"HISTORY_RETENTION_DAYS": spec})
