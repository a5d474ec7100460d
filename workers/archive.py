"""The archive handler: write accepted events into SQL, one transaction per batch, exactly once.

A batch first takes the archive's write lock, then keeps only the events whose event_id is not archived
yet (inserted with `ON CONFLICT DO NOTHING` as a last guard): a redelivered batch changes nothing. A
request's row is then merged with its new events by the live rules (received at the earliest (ts, event_id), state
from the latest by ts, status rank, event_id), and the daily rollups change by the difference between
the request's old and new contribution, as the live Lua script does.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Any

import redis
from sqlalchemy import Column, MetaData, String, Table, any_, bindparam, func, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, sessionmaker

from store.contract.calendar import WIB
from store.contract.events import MAX_PAST
from store.contract.keys import ARCHIVE_GROUP
from store.contract.reference import Reference
from store.contract.settings import Settings
from store.history.db import make_sessionmaker, write_now
from store.history.models import (
    KpiSample,
    ServiceRequest,
    StatusChange,
)
from store.history.partitions import ensure_months, month_of
from store.history.stage_waits import Change, contribution
from workers.consumer import Batch, WorkerSpec
from workers.request_rows import Deltas, merged
from workers.retention import Retention

# Both SQLite (32,766) and PostgreSQL (65,535) accept this many bound parameters in one statement.
_MAX_IDS = 30_000
# Archive batches take a write lock first (an advisory lock on PostgreSQL, BEGIN IMMEDIATE on SQLite), so
# two archive workers never merge the same request at once and what a batch reads stays true until it commits. On
# PostgreSQL the lock is the province's: a batch writes only its province's rows (requests, daily rows of its
# regencies and of the province), so provinces archive side by side; making a month's partition takes lock 0.
_PG_LOCK_KEY = 0x5CC_A4C1
_PARTITIONS_LOCK = 0


def archive_batch(session: Session, records: Sequence[str | bytes], reference: Reference) -> int:
    """Archive stream records (canonical JSON, see `store.contract.events.to_record`) in the caller's transaction.

    Returns how many events were new; events whose event_id is already archived are skipped.
    """
    requests, kpis = _parse(records)
    if not requests and not kpis:
        return 0
    _lock(session, int(reference.province))
    new_requests = _insert_new(session, StatusChange.__table__, [_status_change(e) for e in requests])
    new_kpis = _insert_new(session, KpiSample.__table__, [_kpi_sample(e) for e in kpis])
    fresh = [e for e in requests if e["event_id"] in new_requests]
    if fresh:
        _merge_requests(session, fresh, reference)
    return len(new_requests) + len(new_kpis)


def archive_worker(settings: Settings, client: redis.Redis, reference: Reference) -> WorkerSpec:
    """The "archive" worker: every accepted event into SQL (`Settings.sqlalchemy_url()`), one transaction
    per stream batch, and the retention of its province's event-level rows (`workers.retention`). The database
    must already be migrated (`store.history.db.upgrade`)."""
    sessions = _sessions(settings.sqlalchemy_url())
    retention = Retention(client, sessions, reference.province, settings.history_retention_days)
    return WorkerSpec(ARCHIVE_GROUP, ArchiveHandler(sessions, reference), on_idle=retention)


@cache
def _sessions(url: str) -> sessionmaker[Session]:
    """One engine per process, however many provinces' archive workers it runs (each SQLite connection keeps a
    cache of its own: one per province would multiply the memory)."""
    return make_sessionmaker(url)


class ArchiveHandler:
    """Batch handler of the "archive" consumer group."""

    def __init__(self, sessions: sessionmaker[Session], reference: Reference) -> None:
        self.sessions = sessions
        self.reference = reference

    def __call__(self, batch: Batch) -> None:
        with self.sessions.begin() as session:
            archive_batch(session, [record for _, record in batch], self.reference)


def _parse(records: Iterable[str | bytes]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Decode records into request and KPI events, the first of each event_id only, with times parsed."""
    seen: set[str] = set()
    requests, kpis = [], []
    for record in records:
        event = json.loads(record)
        if event["event_id"] in seen:
            continue
        seen.add(event["event_id"])
        event["ts"] = datetime.fromisoformat(event["ts"]).astimezone(UTC)
        if event["type"] == "kpi":
            kpis.append(event)
        else:
            if "sla_due" in event:
                event["sla_due"] = datetime.fromisoformat(event["sla_due"]).astimezone(UTC)
            requests.append(event)
    return requests, kpis


def _status_change(event: dict[str, Any]) -> dict[str, Any]:
    return {
        "event_id": event["event_id"],
        "request_id": event["request_id"],
        "regency": event["regency_code"],
        "status": event["status"],
        "ts": event["ts"],
        "category": event["category"],
        "channel": event["channel"],
        "opd": event["opd"],
        "sla_due": event.get("sla_due"),
        "priority": event.get("priority"),
        "title": event.get("title"),
        "satisfaction": event.get("satisfaction"),
    }


def _kpi_sample(event: dict[str, Any]) -> dict[str, Any]:
    return {
        "event_id": event["event_id"],
        "regency": event["regency_code"],
        "metric": event["metric"],
        "value": float(event["value"]),
        "ts": event["ts"],
        "day": event["ts"].astimezone(WIB).date(),
    }


def _bulk_insert(session: Session, table: Table, rows: list[dict[str, Any]], on_conflict: Callable[[Any], Any]) -> None:
    """INSERT rows (all with the same keys) with an ON CONFLICT clause built by `on_conflict`.

    PostgreSQL gets the rows by COPY into a temporary staging table, then one INSERT ... SELECT from it
    (psycopg formats COPY rows in C; binding arrays for unnest() cost more than the insert itself);
    SQLite gets an executemany, which its driver loops over in C.
    """
    dialect = session.get_bind().dialect
    if dialect.name != "postgresql":
        _sqlite_executemany(session, on_conflict(sqlite.insert(table)), table, rows)
        return
    names = list(rows[0])
    staging = _staging_table(session, table)
    cursor = session.connection().connection.dbapi_connection.cursor()
    with cursor, cursor.copy(f"COPY {staging.name} ({', '.join(names)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[name] for name in names])
    # Emptied by the same statement that reads it: one round trip per table and batch.
    moved = staging.delete().returning(*(staging.c[name] for name in names)).cte("moved")
    insert = postgresql.insert(table).from_select(names, select(*(moved.c[name] for name in names))).add_cte(moved)
    session.execute(on_conflict(insert))


@cache
def _staging_shape(table: Table) -> Table:
    return Table(f"archive_staging_{table.name}", MetaData(), *(Column(c.name, c.type) for c in table.columns))


def _staging_table(session: Session, table: Table) -> Table:
    """A temporary table shaped like `table` (this connection's, made on its first use, emptied after each) to COPY
    a batch into."""
    staging = _staging_shape(table)
    connection = session.connection()
    made = connection.info.setdefault("archive_staging", set())
    if staging.name not in made:
        connection.exec_driver_sql(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {staging.name} (LIKE {table.name}) ON COMMIT DELETE ROWS"
        )
        made.add(staging.name)
    return staging


def _sqlite_executemany(session: Session, statement: Any, table: Table, rows: list[dict[str, Any]]) -> None:
    """The statement compiled once and run over plain tuples: SQLAlchemy's per-row parameter handling
    cost more than SQLite's own insert."""
    names = list(rows[0])
    dialect = session.get_bind().dialect
    compiled = statement.compile(dialect=dialect, column_keys=names)
    order = list(compiled.positiontup)
    convert = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in order]
    # Column by column: one loop per column beats a generator per row.
    columns = [
        [row[name] for row in rows] if f is None else [f(row[name]) for row in rows]
        for name, f in zip(order, convert, strict=True)
    ]
    session.connection().exec_driver_sql(str(compiled), list(zip(*columns, strict=True)))


def _lock(session: Session, key: int) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(_PG_LOCK_KEY, key)))
    write_now(session)


def _among(session: Session, column: Any, values: list[str]) -> Any:
    """`column IN values`; on PostgreSQL as `= ANY(array)`, one parameter instead of thousands to parse."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, values, type_=ARRAY(column.type)))
    return column.in_(values)


def _insert_new(session: Session, table: Table, rows: list[dict[str, Any]]) -> set[str]:
    """Insert rows whose event_id is not yet stored; returns the event_ids inserted.

    A look-up then a plain executemany is about three times faster on PostgreSQL than one INSERT with
    RETURNING; the batch's lock keeps the look-up true, and ON CONFLICT DO NOTHING stays as the guard.
    On PostgreSQL the table is partitioned by month (`store.history.partitions`): the look-up reads only the months
    from `MAX_PAST` before the batch's earliest event, where a re-sent event (its time unchanged) must be, and the
    months of the batch get their partitions first.
    """
    if not rows:
        return set()
    column = table.c.event_id
    ids = [row["event_id"] for row in rows]
    window = []
    if session.get_bind().dialect.name == "postgresql":
        earliest = min(row["ts"] for row in rows)
        window = [table.c.ts >= earliest - MAX_PAST]
        connection = session.connection()
        known = connection.info.setdefault("archive_months", {})  # retention never drops a month still written
        months = {month_of(row["ts"]) for row in rows} - known.get(table.name, set())
        if months:
            _lock(session, _PARTITIONS_LOCK)  # two provinces' batches may open the same month
            ensure_months(connection, table.name, months)
            known.setdefault(table.name, set()).update(months)
    stored: set[str] = set()
    for start in range(0, len(ids), _MAX_IDS):
        among = _among(session, column, ids[start : start + _MAX_IDS])
        stored.update(session.scalars(select(column).where(among, *window)))
    new = [row for row in rows if row["event_id"] not in stored]
    if new:
        _bulk_insert(session, table, new, lambda insert: insert.on_conflict_do_nothing())
    return {row["event_id"] for row in new}


def _merge_requests(session: Session, events: list[dict[str, Any]], reference: Reference) -> None:
    # A request is its regency's: (regency, request_id) is its identity, as in the live state.
    by_request: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for event in events:
        by_request[(event["regency_code"], event["request_id"])].append(event)
    table = ServiceRequest.__table__
    ids = sorted(by_request)
    old_states = {
        (row["regency"], row["request_id"]): dict(row) for row in _rows_of_requests(session, select(table), table, ids)
    }
    timelines: dict[tuple[str, str], list[Change]] = defaultdict(list)
    changes = StatusChange.__table__
    columns = select(changes.c.regency, changes.c.request_id, changes.c.status, changes.c.ts, changes.c.opd)
    # No event of a request is older than its received time, nor than this batch's: the months before go unread.
    earliest = min([*(state["received_at"] for state in old_states.values()), *(e["ts"] for e in events)])
    columns = columns.add_columns(changes.c.event_id).where(changes.c.ts >= earliest)
    for row in _rows_of_requests(session, columns, changes, ids):
        timelines[(row["regency"], row["request_id"])].append(
            Change(row["status"], row["ts"], row["opd"], row["event_id"])
        )
    rollups = Deltas()
    new_states = []
    for identity in ids:
        old = old_states.get(identity)
        new = old
        for event in by_request[identity]:
            new = merged(new, event, reference)
        timeline = timelines[identity]  # with this batch's events, inserted already
        if old:
            rollups.count(old, -1)
            fresh = {event["event_id"] for event in by_request[identity]}
            before = [change for change in timeline if change.event_id not in fresh]
            rollups.count_waits(old, contribution(old["category"], before), -1)
        waits = contribution(new["category"], timeline)
        new.update(waits.open_stage())
        rollups.count(new, +1)
        rollups.count_waits(new, waits, +1)
        new_states.append(new)

    _upsert(session, table, new_states, key=("regency", "request_id"), replace=True)
    for model, deltas in rollups.tables():
        key = tuple(column.name for column in model.__table__.primary_key)
        _upsert(session, model.__table__, Deltas.rows(deltas, key), key=key)


def _rows_of_requests(session: Session, query: Any, table: Table, ids: list[tuple[str, str]]) -> list[Any]:
    """The rows of `query` on `table` for the requests `ids` ((regency, request_id) pairs), by their index on
    (regency, request_id). PostgreSQL gets the pairs as two arrays in one statement; SQLite, which scans the whole
    table for `(regency, request_id) IN (VALUES ...)`, gets one look-up per regency."""
    if session.get_bind().dialect.name == "postgresql":
        columns = zip(*ids, strict=True)
        regencies, request_ids = (bindparam(None, list(column), type_=ARRAY(String)) for column in columns)
        wanted = select(func.unnest(regencies, request_ids).table_valued("regency", "request_id").render_derived())
        pair = tuple_(table.c.regency, table.c.request_id)
        return session.execute(query.where(pair.in_(wanted))).mappings().all()
    by_regency: dict[str, list[str]] = defaultdict(list)
    for regency, request_id in ids:
        by_regency[regency].append(request_id)
    rows = []
    for regency, request_ids in sorted(by_regency.items()):
        for start in range(0, len(request_ids), _MAX_IDS):
            among = table.c.request_id.in_(request_ids[start : start + _MAX_IDS])
            rows += session.execute(query.where(table.c.regency == regency, among)).mappings().all()
    return rows


def _upsert(
    session: Session, table: Table, rows: list[dict[str, Any]], key: tuple[str, ...], replace: bool = False
) -> None:
    """Insert rows, or on a key conflict replace the stored values (`replace`) or add to them."""
    if not rows:
        return
    changed = [name for name in rows[0] if name not in key]

    def on_conflict(insert: Any) -> Any:
        if replace:
            values = {name: insert.excluded[name] for name in changed}
        else:
            values = {name: table.c[name] + insert.excluded[name] for name in changed}
        return insert.on_conflict_do_update(index_elements=list(key), set_=values)

    _bulk_insert(session, table, rows, on_conflict)
