"""The event-level tables partitioned by month on PostgreSQL (migration 0013, `store.history.partitions`): the
migration moves a database's rows into their months and back; the archive makes a new month's partition on its
first event and still counts a re-sent event once; retention drops whole months. Runs with DATABASE_URL on
PostgreSQL (the PostgreSQL variant of `.ci/run`); SQLite keeps plain tables."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import Connection, func, select, text
from sqlalchemy.engine import make_url

from store.contract.events import to_record, validate_event
from store.contract.reference import load_reference
from store.history.db import alembic_config, make_sessionmaker
from store.history.models import DailyRollup, KpiSample, ServiceRequest, StatusChange
from store.history.partitions import PARTITIONED, partition_months
from workers.archive import archive_batch
from workers.retention import prune

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
MONTHS = [datetime(2026, 10, 5, 3, 0, tzinfo=UTC), datetime(2026, 11, 20, 3, 0, tzinfo=UTC), NOW]


@pytest.fixture
def pg_url(db_url: str) -> str:
    if make_url(db_url).get_backend_name() != "postgresql":
        pytest.skip("partitions are PostgreSQL's (DATABASE_URL)")
    return db_url


def _partitioned(connection: Connection, table: str) -> bool:
    """Whether `table` is a partitioned table here."""
    found = connection.execute(
        text("SELECT c.relkind FROM pg_class c WHERE c.oid = to_regclass(:table)"), {"table": table}
    ).scalar()
    return found == "p"


def _events(at: datetime, tag: str, status: str = "received") -> list[dict]:
    base = {"regency_code": "12.71", "ts": at.isoformat()}
    request = {"type": "service_request", "request_id": tag, "category": "kesehatan", "channel": "web"}
    return [
        {**base, **request, "event_id": f"{tag}-{status}", "status": status, "opd": "Dinas Kesehatan"},
        {**base, "event_id": f"{tag}-k", "type": "kpi", "metric": "harga_beras", "value": 14000.0},
    ]


def _archive(sessions, events: list[dict], now: datetime) -> int:
    reference = load_reference("12")
    records = [to_record(validate_event(e, reference, now)) for e in events]
    with sessions.begin() as session:
        return archive_batch(session, records, reference)


def _months(sessions, table: str) -> list[str]:
    with sessions() as session:
        return [f"{month:%Y-%m}" for month in partition_months(session.connection(), table)]


def _rows(sessions) -> tuple[set, set]:
    with sessions() as session:
        return set(session.scalars(select(StatusChange.event_id))), set(session.scalars(select(KpiSample.event_id)))


def test_the_migration_moves_rows_into_their_months_and_back(pg_url) -> None:
    config = alembic_config(pg_url)
    sessions = make_sessionmaker(pg_url)
    try:
        for index, at in enumerate(MONTHS):
            _archive(sessions, _events(at, f"r{index}"), at)
        kept = _rows(sessions)
        assert len(kept[0]) == len(kept[1]) == 3
        sessions.kw["bind"].dispose()

        command.downgrade(config, "0012")
        assert _rows(sessions) == kept
        with sessions() as session:
            assert not any(_partitioned(session.connection(), table) for table in PARTITIONED)
        sessions.kw["bind"].dispose()

        command.upgrade(config, "head")
        assert _rows(sessions) == kept
        for table in PARTITIONED:
            assert _months(sessions, table)[:3] == ["2026-10", "2026-11", "2026-12"]
        with sessions() as session:
            connection = session.connection()
            assert all(_partitioned(connection, table) for table in PARTITIONED)
            # The indexes are the partitioned table's, made on every month.
            names = connection.execute(
                text("SELECT indexname FROM pg_indexes WHERE tablename = 'status_changes_2026_11'")
            ).scalars()
            assert len(set(names)) == 3  # the key (event_id, ts), the timeline's and the shift digest's
            # A query over a period reads only its months.
            plan = "\n".join(
                connection.execute(
                    text("EXPLAIN SELECT count(*) FROM status_changes WHERE ts >= '2026-11-15' AND ts < '2026-11-30'")
                ).scalars()
            )
            assert "status_changes_2026_11" in plan and "status_changes_2026_10" not in plan
        # Archived after the move: a re-sent event is still found, a new one lands in its month.
        assert _archive(sessions, _events(MONTHS[1], "r1"), MONTHS[1]) == 0
        assert _archive(sessions, _events(MONTHS[1], "r1", "verified")[:1], MONTHS[1]) == 1
    finally:
        sessions.kw["bind"].dispose()


def test_the_archive_makes_a_new_month_and_counts_a_resent_event_once(pg_url) -> None:
    sessions = make_sessionmaker(pg_url)
    try:
        later = NOW + timedelta(days=40)  # a month no partition exists for yet
        assert _archive(sessions, _events(later, "jan"), later) == 2
        assert "2027-01" in _months(sessions, "status_changes") and "2027-01" in _months(sessions, "kpi_samples")
        assert _archive(sessions, _events(later, "jan"), later) == 0  # re-sent: nothing new
        resolved = later + timedelta(hours=2)
        assert _archive(sessions, _events(resolved, "jan", "resolved")[:1], resolved) == 1
        with sessions() as session:
            assert session.scalar(select(ServiceRequest.status)) == "resolved"
            assert session.scalar(select(func.sum(DailyRollup.received)).where(DailyRollup.regency == "12.71")) == 1
            assert session.scalar(select(func.sum(DailyRollup.resolved)).where(DailyRollup.regency == "12.71")) == 1
    finally:
        sessions.kw["bind"].dispose()


def test_retention_drops_whole_months_older_than_the_setting(pg_url) -> None:
    sessions = make_sessionmaker(pg_url)
    try:
        for index, at in enumerate(MONTHS):
            _archive(sessions, _events(at, f"r{index}"), at)
        received = _rows(sessions)
        # 31 days before 3 December: October is past entirely; November, partly inside, stays whole.
        assert prune(sessions, "12", datetime(2026, 12, 3, tzinfo=UTC) - timedelta(days=31)) == 2
        assert _months(sessions, "status_changes")[0] == "2026-11"
        assert _rows(sessions) == (received[0] - {"r0-received"}, received[1] - {"r0-k"})
        with sessions() as session:  # the requests' rows and the daily figures stay
            assert session.scalar(select(func.count()).select_from(ServiceRequest)) == 3
            assert session.scalar(select(func.sum(DailyRollup.received)).where(DailyRollup.regency == "12.71")) == 3
    finally:
        sessions.kw["bind"].dispose()


def test_provinces_archive_side_by_side_and_one_province_in_turn(pg_url) -> None:
    """On PostgreSQL the archive's lock is the province's: while one batch of Sumatera Utara is uncommitted, a batch
    of Jawa Timur goes through, and another of Sumatera Utara waits for the first to commit."""
    sessions = make_sessionmaker(pg_url)
    jatim = load_reference("35")
    held = sessions()
    try:
        _archive(sessions, _events(NOW, "warm"), NOW)  # the month's partitions exist
        held.begin()
        assert archive_batch(held, _records(_events(NOW, "sumut-1"), NOW), load_reference("12")) == 2
        with ThreadPoolExecutor(2) as pool:
            other = pool.submit(_archive_in, sessions, jatim, "jatim-1")
            same = pool.submit(_archive_in, sessions, load_reference("12"), "sumut-2")
            assert other.result(timeout=10) == 2  # not held up by Sumatera Utara's open batch
            time.sleep(0.5)
            assert not same.done()  # Sumatera Utara's second batch waits its turn
            held.commit()
            assert same.result(timeout=10) == 2
    finally:
        held.close()
        sessions.kw["bind"].dispose()


def _records(events: list[dict], now: datetime, reference=None) -> list[str]:
    reference = reference or load_reference("12")
    return [to_record(validate_event(e, reference, now)) for e in events]


def _archive_in(sessions, reference, tag: str) -> int:
    regency = next(iter(reference.regencies))
    events = [{**e, "regency_code": regency} for e in _events(NOW, tag)]
    with sessions.begin() as session:
        return archive_batch(session, _records(events, NOW, reference), reference)
