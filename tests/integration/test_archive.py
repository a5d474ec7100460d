"""The archive: every accepted event into SQL, exactly once, with the live rules for out-of-order updates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from store.contract.calendar import WIB, deadline
from store.contract.events import STATUSES, to_record, validate_event
from store.contract.keys import Keys
from store.contract.settings import Settings
from store.history.db import Base, make_sessionmaker
from store.history.models import DailyCategory, DailyRollup, KpiSample, ServiceRequest, StatusChange
from store.pipeline.lag import archive_lag
from store.pipeline.streams import append_events
from tests.support.oracle import expected_figures
from workers.archive import archive_batch, archive_worker
from workers.consumer import StreamWorker

NOW = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)  # 13:00 WIB on a Friday


def request_event(event_id: str, request_id: str, status: str, ts: datetime, **extra) -> dict:
    return {
        "event_id": event_id,
        "type": "service_request",
        "request_id": request_id,
        "regency_code": "12.71",
        "status": status,
        "category": "kesehatan",
        "channel": "web",
        "opd": "Dinas Kesehatan",
        "ts": ts.isoformat(),
        **extra,
    }


def records(reference, *events: dict) -> list[str]:
    return [to_record(validate_event(e, reference, NOW)) for e in events]


def test_same_batch_twice_counts_once(sessions, reference) -> None:
    batch = records(
        reference,
        request_event("e1", "r1", "received", NOW - timedelta(hours=3)),
        request_event("e2", "r1", "resolved", NOW - timedelta(hours=1)),
        {
            "event_id": "k1",
            "type": "kpi",
            "metric": "ispu",
            "regency_code": "12.71",
            "value": 60,
            "ts": NOW.isoformat(),
        },
    )
    with sessions.begin() as session:
        assert archive_batch(session, batch, reference) == 3
    with sessions.begin() as session:
        assert archive_batch(session, batch + batch[:1], reference) == 0

    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(StatusChange)) == 2
        assert session.scalar(select(func.count()).select_from(KpiSample)) == 1
        rollup = session.get(DailyRollup, ("12.71", date(2026, 11, 27)))
        assert (rollup.received, rollup.resolved, rollup.within_deadline) == (1, 1, 1)
        assert rollup.resolve_minutes_sum == 120
        request = session.get(ServiceRequest, ("12.71", "r1"))
        assert request.status == "resolved" and request.resolve_minutes == 120


def test_a_duplicate_inside_one_batch_counts_once(sessions, reference) -> None:
    batch = records(reference, request_event("e1", "r1", "received", NOW))
    with sessions.begin() as session:
        assert archive_batch(session, batch * 3, reference) == 1
    with sessions() as session:
        assert session.get(DailyRollup, ("12.71", date(2026, 11, 27))).received == 1


def test_out_of_order_updates_keep_the_earliest_receipt_and_the_latest_state(sessions, reference) -> None:
    received = NOW - timedelta(days=3, hours=2)  # Tuesday 24 November, 11:00 WIB
    resolved = NOW - timedelta(hours=1)
    late_first, *rest = records(
        reference,
        request_event("e1", "r1", "received", received, category="jalan_jembatan"),
        request_event("e3", "r1", "resolved", resolved, satisfaction=4),
        request_event("e2", "r1", "in_progress", received + timedelta(hours=5), title="Lampu jalan mati"),
    )
    with sessions.begin() as session:
        archive_batch(session, rest, reference)  # resolution and progress first
    with sessions.begin() as session:
        archive_batch(session, [late_first], reference)  # the original receipt last

    with sessions() as session:
        request = session.get(ServiceRequest, ("12.71", "r1"))
        assert request.received_at == received
        assert request.received_day == date(2026, 11, 24)
        assert (request.status, request.status_at, request.regency) == ("resolved", resolved, "12.71")
        assert request.title == "Lampu jalan mati" and request.satisfaction == 4
        # The deadline follows the category of the receipt: roads and bridges, 10 working days.
        assert request.auto_due_at == deadline(received, 10)
        assert request.within_deadline is True
        rollups = {(r.regency, r.day): r for r in session.scalars(select(DailyRollup))}
        # Counted once, on the earliest day; nothing left on the wrong day; the province's rows the same.
        assert {k: (r.received, r.resolved) for k, r in rollups.items() if r.received or r.resolved} == {
            ("12.71", date(2026, 11, 24)): (1, 0),
            ("12.71", date(2026, 11, 27)): (0, 1),
            ("12", date(2026, 11, 24)): (1, 0),
            ("12", date(2026, 11, 27)): (0, 1),
        }
        categories = session.scalars(select(DailyCategory).where(DailyCategory.received != 0)).all()
        assert [(c.day, c.category, c.received) for c in categories] == [(date(2026, 11, 24), "kesehatan", 1)]


def test_equal_earliest_times_are_broken_by_event_id_whatever_the_arrival_order(sessions, reference) -> None:
    received = NOW - timedelta(days=1)
    later_id, earlier_id = records(
        reference,
        request_event("e2", "r1", "received", received, category="jalan_jembatan"),  # 10 working days
        request_event("e1", "r1", "verified", received),  # health: 2 working days
    )
    for batch in ([later_id], [earlier_id]):
        with sessions.begin() as session:
            archive_batch(session, batch, reference)
    with sessions() as session:
        request = session.get(ServiceRequest, ("12.71", "r1"))
        assert request.received_event_id == "e1"
        assert request.auto_due_at == deadline(received, 2)


def test_a_reopened_request_leaves_the_resolved_count(sessions, reference) -> None:
    batch = records(
        reference,
        request_event("e1", "r1", "received", NOW - timedelta(hours=5)),
        request_event("e2", "r1", "resolved", NOW - timedelta(hours=4)),
    )
    with sessions.begin() as session:
        archive_batch(session, batch, reference)
    reopened = records(reference, request_event("e3", "r1", "in_progress", NOW - timedelta(hours=2)))
    with sessions.begin() as session:
        archive_batch(session, reopened, reference)
    with sessions() as session:
        rollup = session.get(DailyRollup, ("12.71", date(2026, 11, 27)))
        assert (rollup.received, rollup.resolved, rollup.within_deadline, rollup.resolve_minutes_sum) == (1, 0, 0, 0)
        assert session.get(ServiceRequest, ("12.71", "r1")).resolved_at is None


def test_an_explicit_deadline_wins_latest_by_time(sessions, reference) -> None:
    received = NOW - timedelta(days=2)
    early_due, late_due = NOW - timedelta(hours=3), NOW + timedelta(days=1)
    batch = records(
        reference,
        request_event("e2", "r1", "verified", received + timedelta(hours=1), sla_due=early_due.isoformat()),
        request_event("e1", "r1", "received", received, sla_due=late_due.isoformat()),
        request_event("e3", "r1", "resolved", NOW - timedelta(hours=1)),
    )
    with sessions.begin() as session:
        archive_batch(session, batch, reference)
    with sessions() as session:
        request = session.get(ServiceRequest, ("12.71", "r1"))
        assert request.due_at == early_due and request.within_deadline is False


@st.composite
def histories(draw: st.DrawFn) -> list[dict]:
    events = []
    for n in range(draw(st.integers(1, 6))):
        start = NOW - timedelta(minutes=draw(st.integers(0, 60 * 24 * 5)))
        regency = draw(st.sampled_from(["12.71", "12.04"]))
        explicit = draw(st.one_of(st.none(), st.integers(-3000, 3000)))
        for i, status in enumerate(draw(st.lists(st.sampled_from(STATUSES), min_size=1, max_size=4))):
            ts = min(start + timedelta(minutes=i * draw(st.integers(1, 900))), NOW)
            event = request_event(
                f"r{n}-e{i}",
                f"req-{n}",
                status,
                ts,
                regency_code=regency,
                category=draw(st.sampled_from(["kesehatan", "jalan_jembatan"])),
                opd=draw(st.sampled_from(["Dinas A", "Dinas B"])),
            )
            if explicit is not None and i == 0:
                event["sla_due"] = (start + timedelta(minutes=explicit)).isoformat()
            events.append(event)
    return events


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=histories(), data=st.data())
def test_any_order_and_batching_gives_the_oracle_figures(db_url, reference, events, data) -> None:
    factory = make_sessionmaker(db_url)
    stored = records(reference, *events)
    delivered = data.draw(st.permutations(stored + data.draw(st.lists(st.sampled_from(stored), max_size=4))))
    cut = data.draw(st.integers(0, len(delivered)))
    try:
        for part in (delivered[:cut], delivered[cut:]):
            with factory.begin() as session:
                archive_batch(session, part, reference)
        expected = expected_figures(events, NOW, reference)
        today = NOW.astimezone(WIB).date()
        with factory.begin() as session:
            for code in ("12.71", "12.04"):
                rollup = session.get(DailyRollup, (code, today))
                received, resolved = (rollup.received, rollup.resolved) if rollup else (0, 0)
                assert (received, resolved) == (expected[code]["received_today"], expected[code]["resolved_today"])
                if resolved:
                    assert round(100 * rollup.within_deadline / resolved, 1) == expected[code]["within_deadline_pct"]
                open_count = session.scalar(
                    select(func.count())
                    .select_from(ServiceRequest)
                    .where(ServiceRequest.regency == code, ServiceRequest.status.not_in(["resolved", "rejected"]))
                )
                assert open_count == expected[code]["open"]
            # Clean slate for the next example: the same database serves every example of this test.
            for table in Base.metadata.sorted_tables:
                session.execute(table.delete())
    finally:
        factory.kw["bind"].dispose()


def test_the_archive_worker_drains_the_stream_into_sql(redis_client, db_url, reference) -> None:
    keys = Keys(reference.province)
    batch = records(
        reference,
        request_event("e1", "r1", "received", NOW - timedelta(hours=3)),
        request_event("e2", "r1", "resolved", NOW - timedelta(hours=1)),
        request_event("e3", "r2", "received", NOW - timedelta(hours=2)),
    )
    append_events(redis_client, keys, batch + batch[:1], cap=1000)
    spec = archive_worker(Settings(database_url=db_url), redis_client, reference)
    assert StreamWorker(redis_client, keys, spec, "archive-test", burst=True).run() == 4

    factory = make_sessionmaker(db_url)
    with factory() as session:
        rollup = session.get(DailyRollup, ("12.71", date(2026, 11, 27)))
        assert (rollup.received, rollup.resolved) == (2, 1)
    factory.kw["bind"].dispose()
    lag = archive_lag(redis_client, keys)
    assert (lag["lag"], lag["pending"]) == (0, 0)


def test_two_regencies_numbering_alike_keep_two_requests(sessions, reference) -> None:
    """The same request_id from two regencies' applications is two requests, never one moved between them."""
    batch = records(
        reference,
        request_event("medan-1", "1001", "received", NOW - timedelta(hours=3)),
        request_event("deli-1", "1001", "received", NOW - timedelta(hours=2), regency_code="12.07"),
        request_event("deli-2", "1001", "resolved", NOW - timedelta(hours=1), regency_code="12.07"),
    )
    with sessions.begin() as session:
        archive_batch(session, batch, reference)
    with sessions() as session:
        medan = session.get(ServiceRequest, ("12.71", "1001"))
        deli = session.get(ServiceRequest, ("12.07", "1001"))
        assert (medan.status, deli.status) == ("received", "resolved")
        received = {r.regency: r.received for r in session.scalars(select(DailyRollup)) if r.received}
        assert received == {"12.71": 1, "12.07": 1, "12": 2}  # and the province in all


def test_the_identity_migration_keeps_requests_and_partial_indexes(tmp_path) -> None:
    """0007 rebuilds service_requests on SQLite: its rows stay, and the partial indexes keep their conditions."""
    import sqlite3

    from alembic import command
    from alembic.config import Config

    from store.contract.paths import ROOT

    path = tmp_path / "h.db"
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["url"] = f"sqlite:///{path}"
    command.upgrade(config, "0006")
    with sqlite3.connect(path) as connection:
        connection.execute(
            "INSERT INTO service_requests (request_id, regency, category, channel, opd, received_at, received_day,"
            " status, status_at, status_event_id, auto_due_at, due_at) VALUES ('r1', '12.71', 'kesehatan', 'app',"
            " 'Dinas', '2026-11-30 00:00:00.000000', '2026-11-30', 'received', '2026-11-30 00:00:00.000000', 'e1',"
            " '2026-12-02 00:00:00.000000', '2026-12-02 00:00:00.000000')"
        )
    command.upgrade(config, "head")
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT regency, request_id FROM service_requests").fetchall() == [("12.71", "r1")]
        indexes = dict(connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'").fetchall())
    assert indexes["ix_service_requests_open_due_opd"].endswith("WHERE status NOT IN ('rejected', 'resolved')")
    assert indexes["ix_service_requests_resolved_minutes"].endswith("WHERE status = 'resolved'")
    assert "ix_status_changes_regency_request" in indexes
