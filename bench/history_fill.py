"""Fill a history database with N archived events, fast, as the archive would have left it.

Requests are spread over `bench.history_events.DAYS` days and one province's regencies by population (with
`--national`, over a year and every province's); each one walks its lifecycle
(received, verified, dispatched, in_progress, then resolved or rejected; a few stall) with log-normal
times to resolve, and requests still under way at the end of the fill are open. Every request's events
are folded through the archive's own merge rules (`workers.archive`), and the daily tables are the sums
of the same contributions, so the rows equal what `archive_batch` would have written, without sending
millions of events through it. Rows go in with COPY on PostgreSQL and executemany in big transactions
on SQLite, with the secondary indexes built after the load.

A fill is cached and reused while its marker (event count and end moment) matches: SQLite files in
`var/bench/`, PostgreSQL databases named `bench_history_<province>_<events>` (`00`: national; the database comment
as the marker).

    python -m bench.history_fill --events 5000000 [--national] [--postgres URL] [--sqlite-only | --postgres-only]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Boolean, Column, Date, MetaData, Table, create_engine, text
from sqlalchemy.engine import make_url

from bench.history_events import HistoryGenerator, fill_days, national_reference
from store.contract.calendar import WIB
from store.contract.paths import ROOT
from store.contract.reference import Reference, load_reference
from store.history.db import UtcDateTime, _sqlite_text, upgrade
from store.history.models import KpiSample, ServiceRequest, StatusChange
from store.history.partitions import PARTITIONED, ensure_months, month_of, months_between, next_month
from workers.request_rows import Deltas

DEFAULT_EVENTS = 5_000_000
CACHE_DIR = ROOT / "var" / "bench"
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CHUNK = 100_000  # rows per executemany / COPY flush
DRAIN_REQUESTS = 500_000  # requests between two moves of the daily sums out of memory
FILL_PROCESSES = 2  # generating rows in Python is the fill's bottleneck: one process per core
TABLES = (ServiceRequest, StatusChange, KpiSample, *(model for model, _ in Deltas().tables()))


@dataclass(frozen=True)
class Fill:
    """A filled database: its URL, how many events it holds and the moment its history ends ("now")."""

    url: str
    events: int
    end: datetime

    @property
    def today(self) -> date:
        return self.end.astimezone(WIB).date()


def default_end() -> datetime:
    """The fill's "now": the last full hour, so a fill made today reads like live data."""
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)


class _Loader:
    """Buffered bulk writes of dict rows into the history tables of one database."""

    def __init__(self, write: Callable[[Table, list[dict[str, Any]]], None]) -> None:
        self.write = write
        self.buffers: dict[Table, list[dict[str, Any]]] = {}

    def add(self, table: Table, row: dict[str, Any]) -> None:
        buffer = self.buffers.setdefault(table, [])
        buffer.append(row)
        if len(buffer) >= CHUNK:
            self.flush(table)

    def flush(self, table: Table | None = None) -> None:
        for name in [table] if table is not None else list(self.buffers):
            if self.buffers.get(name):
                self.write(name, self.buffers[name])
                self.buffers[name] = []


@cache
def _partial(table: Table) -> Table:
    """A table of partial daily sums, shaped like the daily table `table`."""
    return Table(f"fill_{table.name}", MetaData(), *(Column(column.name, column.type) for column in table.columns))


DAILY = tuple(model.__table__ for model, _ in Deltas().tables())


def _make_partials(execute: Callable[[str], Any], kind: str) -> None:
    """The tables of partial daily sums (`kind`: TEMPORARY, or UNLOGGED on PostgreSQL for several writers)."""
    for table in DAILY:
        execute(f"CREATE {kind} TABLE {_partial(table).name} AS SELECT * FROM {table.name} WHERE 1 = 0")


def _sum_partials(execute: Callable[[str], Any]) -> None:
    """The daily tables as the sums of their partial sums, which then go."""
    for table in DAILY:
        key = ", ".join(column.name for column in table.primary_key)
        sums = ", ".join(f"SUM({column.name})" for column in table.columns if not column.primary_key)
        names = ", ".join(column.name for column in table.columns)
        partial = _partial(table).name
        # In key order: the key's index grows at its end instead of taking each row at a random page.
        execute(f"INSERT INTO {table.name} ({names}) SELECT {key}, {sums} FROM {partial} GROUP BY {key} ORDER BY {key}")
        execute(f"DROP TABLE {partial}")


def _generate(generator: HistoryGenerator, loader: _Loader) -> None:
    """Every row of `generator` through `loader`. The daily sums leave memory every `DRAIN_REQUESTS` requests, into
    the partial tables (`_make_partials`): a national fill's sums would not fit in memory."""

    def drain() -> None:
        for model, rows in generator.drain_daily_rows().items():
            for row in rows:
                loader.add(_partial(model.__table__), row)

    requests, changes = ServiceRequest.__table__, StatusChange.__table__
    for count, (state, rows) in enumerate(generator.requests(), start=1):
        loader.add(requests, state)
        for row in rows:
            loader.add(changes, row)
        if count % DRAIN_REQUESTS == 0:
            drain()
    drain()
    for row in generator.kpi_samples():
        loader.add(KpiSample.__table__, row)
    loader.flush()


def _sqlite_converters(table: Table) -> list[Callable[[Any], Any] | None]:
    def convert(column: Any) -> Callable[[Any], Any] | None:
        if isinstance(column.type, UtcDateTime):
            return _sqlite_text
        if isinstance(column.type, Date):
            return lambda value: None if value is None else value.isoformat()
        if isinstance(column.type, Boolean):
            return lambda value: None if value is None else int(value)
        return None

    return [convert(column) for column in table.columns]


def fill_sqlite(path: Path, events: int, reference: Reference, end: datetime) -> Fill:
    """Create (or replace) a SQLite file holding `events` archived events."""
    path.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    upgrade(url)
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=OFF")
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute("PRAGMA cache_size=-1000000")
    names = tuple(model.__tablename__ for model in TABLES)
    marks = ",".join("?" * len(names))
    indexes = connection.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL AND tbl_name IN ({marks})", names
    ).fetchall()
    for name, _ in indexes:
        connection.execute(f'DROP INDEX "{name}"')
    converters: dict[Table, list] = {}

    def write(table: Table, rows: list[dict[str, Any]]) -> None:
        convert = converters.setdefault(table, _sqlite_converters(table))
        names = [column.name for column in table.columns]
        pairs = list(zip(names, convert, strict=True))
        values = [tuple(f(row.get(n)) if f else row.get(n) for n, f in pairs) for row in rows]
        sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        connection.execute("BEGIN")
        connection.executemany(sql, values)
        connection.execute("COMMIT")

    _make_partials(connection.execute, "TEMPORARY")
    _generate(HistoryGenerator(reference, events, end), _Loader(write))
    _sum_partials(connection.execute)
    for _, sql in indexes:
        connection.execute(sql)
    connection.execute("ANALYZE")
    connection.execute("PRAGMA journal_mode=WAL")
    connection.close()
    print(f"SQLite fill of {events:,} events: {path.stat().st_size / 2**30:,.1f} GiB on disk", flush=True)
    return Fill(url, events, end)


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def postgres_database_url(base_url: str, database: str) -> str:
    """`base_url` pointing at another database of the same server."""
    return make_url(base_url).set(database=database).render_as_string(hide_password=False)


def fill_postgres(url: str, events: int, reference: Reference, end: datetime) -> Fill:
    """Fill the (empty, existing) PostgreSQL database at `url` with `events` archived events, generated and
    copied by `FILL_PROCESSES` processes at once, the secondary indexes built after."""
    upgrade(url)
    engine = create_engine(url)
    with engine.begin() as connection:  # a partition for every month of the history (and the next: late events)
        months = months_between(month_of(end - timedelta(days=fill_days(reference) + 1)), next_month(month_of(end)))
        for table in PARTITIONED:
            ensure_months(connection, table, months)
    engine.dispose()
    with psycopg.connect(_libpq(url), autocommit=True) as connection:
        tables = [model.__tablename__ for model in TABLES]
        indexes = connection.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
            " AND tablename = ANY(%s) AND indexname NOT LIKE 'pk_%%'",
            (tables,),
        ).fetchall()
        for name, _ in indexes:
            connection.execute(f'DROP INDEX "{name}"')
        _make_partials(connection.execute, "UNLOGGED")
    shares = [events // FILL_PROCESSES + (part < events % FILL_PROCESSES) for part in range(FILL_PROCESSES)]
    with ProcessPoolExecutor(FILL_PROCESSES, mp_context=get_context("fork")) as pool:
        parts = [pool.submit(_fill_postgres_part, url, n, reference, end, part) for part, n in enumerate(shares)]
        for done in parts:
            done.result()
    with psycopg.connect(_libpq(url), autocommit=True) as connection:
        connection.execute("SET work_mem = '1GB'")
        _sum_partials(connection.execute)
        connection.execute("SET maintenance_work_mem = '1GB'")
        for _, definition in indexes:  # on a partitioned table: on the table and every partition
            connection.execute(definition.replace(" ON ONLY ", " ON "))
        connection.execute("VACUUM ANALYZE")
        size = connection.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        print(f"PostgreSQL fill of {events:,} events: {size / 2**30:,.1f} GiB on disk", flush=True)
    return Fill(url, events, end)


def _fill_postgres_part(url: str, events: int, reference: Reference, end: datetime, part: int) -> None:
    """One process's share of a PostgreSQL fill: its own requests and KPI samples, by COPY."""
    with psycopg.connect(_libpq(url), autocommit=True) as connection:

        def write(table: Table, rows: list[dict[str, Any]]) -> None:
            names = [column.name for column in table.columns]
            copy_sql = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
            with connection.transaction(), connection.cursor() as cursor, cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row([row.get(name) for name in names])

        _generate(HistoryGenerator(reference, events, end, part=part), _Loader(write))


def _marker(events: int, end: datetime) -> str:
    return json.dumps({"events": events, "end": end.isoformat()})


def _read_marker(text_: str | None, events: int) -> datetime | None:
    try:
        marker = json.loads(text_ or "")
    except ValueError:
        return None
    return datetime.fromisoformat(marker["end"]) if marker.get("events") == events else None


def sqlite_fill(events: int = DEFAULT_EVENTS, reference: Reference | None = None) -> Fill:
    """The cached SQLite fill of `events` events, made first when missing (migrated to head either way)."""
    reference = reference or load_reference()
    path = CACHE_DIR / f"history-{reference.province}-{events}.db"
    marker = path.with_suffix(".json")
    end = _read_marker(marker.read_text() if marker.exists() and path.exists() else None, events)
    if end is None:
        marker.unlink(missing_ok=True)
        fill = _timed(f"SQLite fill of {events:,} events", fill_sqlite, path, events, reference, default_end())
        marker.write_text(_marker(events, fill.end))
        return fill
    upgrade(f"sqlite:///{path}")
    return Fill(f"sqlite:///{path}", events, end)


def postgres_fill(
    events: int = DEFAULT_EVENTS, base_url: str = POSTGRES_URL, reference: Reference | None = None
) -> Fill:
    """The cached PostgreSQL fill (database `bench_history_<province>_<events>` on `base_url`'s server), made first
    when missing (migrated to head either way)."""
    reference = reference or load_reference()
    database = f"bench_history_{reference.province}_{events}"
    url = postgres_database_url(base_url, database)
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            comment = connection.execute(
                text("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = :name"),
                {"name": database},
            ).scalar()
            end = _read_marker(comment, events)
            if end is None:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{database}"'))
                connection.execute(text(f'CREATE DATABASE "{database}"'))
        if end is None:
            fill = _timed(
                f"PostgreSQL fill of {events:,} events",
                fill_postgres,
                url,
                events,
                reference,
                default_end(),
            )
            with admin.connect() as connection:
                comment = _marker(events, fill.end).replace("'", "''")
                connection.execute(text(f"COMMENT ON DATABASE \"{database}\" IS '{comment}'"))
            return fill
    finally:
        admin.dispose()
    upgrade(url)
    return Fill(url, events, end)


def _timed(label: str, make: Callable[..., Fill], *args: Any) -> Fill:
    began = time.monotonic()
    print(f"{label}: generating...", flush=True)
    fill = make(*args)
    seconds = time.monotonic() - began
    print(f"{label}: {seconds:.0f} s ({fill.events / seconds:,.0f} events/s)", flush=True)
    return fill


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=DEFAULT_EVENTS)
    parser.add_argument("--postgres", default=POSTGRES_URL, help="server (any database) to create the fill on")
    parser.add_argument("--national", action="store_true", help="every province's regencies, over a year")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--sqlite-only", action="store_true")
    only.add_argument("--postgres-only", action="store_true")
    args = parser.parse_args()
    reference = national_reference() if args.national else load_reference()
    if not args.postgres_only:
        print(sqlite_fill(args.events, reference).url)
    if not args.sqlite_only:
        print(postgres_fill(args.events, args.postgres, reference).url)


if __name__ == "__main__":
    main()
