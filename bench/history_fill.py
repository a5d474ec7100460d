"""Fill a history database with N archived events, fast, as the archive would have left it.

Requests are spread over `bench.history_events.DAYS` days and the regencies by population; each one walks its lifecycle
(received, verified, dispatched, in_progress, then resolved or rejected; a few stall) with log-normal
times to resolve, and requests still under way at the end of the fill are open. Every request's events
are folded through the archive's own merge rules (`workers.archive`), and the daily tables are the sums
of the same contributions, so the rows equal what `archive_batch` would have written, without sending
millions of events through it. Rows go in with COPY on PostgreSQL and executemany in big transactions
on SQLite, with the secondary indexes built after the load.

A fill is cached and reused while its marker (event count and end moment) matches: SQLite files in
`var/bench/`, PostgreSQL databases named `bench_history_<events>` (database comment as the marker).

    python -m bench.history_fill --events 5000000 [--postgres URL] [--sqlite-only]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Boolean, Date, Table, create_engine, text
from sqlalchemy.engine import make_url

from bench.history_events import HistoryGenerator
from store.contract.calendar import WIB
from store.contract.paths import ROOT
from store.contract.reference import Reference, load_reference
from store.history.db import UtcDateTime, _sqlite_text, upgrade
from store.history.models import KpiSample, ServiceRequest, StatusChange
from workers.request_rows import Deltas

DEFAULT_EVENTS = 5_000_000
CACHE_DIR = ROOT / "var" / "bench"
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CHUNK = 100_000  # rows per executemany / COPY flush
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


def _generate(generator: HistoryGenerator, loader: _Loader) -> None:
    requests, changes = ServiceRequest.__table__, StatusChange.__table__
    for state, rows in generator.requests():
        loader.add(requests, state)
        for row in rows:
            loader.add(changes, row)
    for row in generator.kpi_samples():
        loader.add(KpiSample.__table__, row)
    for model, rows in generator.daily_rows().items():
        for row in rows:
            loader.add(model.__table__, row)
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

    _generate(HistoryGenerator(reference, events, end), _Loader(write))
    for _, sql in indexes:
        connection.execute(sql)
    connection.execute("ANALYZE")
    connection.execute("PRAGMA journal_mode=WAL")
    connection.close()
    return Fill(url, events, end)


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def postgres_database_url(base_url: str, database: str) -> str:
    """`base_url` pointing at another database of the same server."""
    return make_url(base_url).set(database=database).render_as_string(hide_password=False)


def fill_postgres(url: str, events: int, reference: Reference, end: datetime) -> Fill:
    """Fill the (empty, existing) PostgreSQL database at `url` with `events` archived events."""
    upgrade(url)
    with psycopg.connect(_libpq(url), autocommit=True) as connection:
        tables = [model.__tablename__ for model in TABLES]
        indexes = connection.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
            " AND tablename = ANY(%s) AND indexname NOT LIKE 'pk_%%'",
            (tables,),
        ).fetchall()
        for name, _ in indexes:
            connection.execute(f'DROP INDEX "{name}"')

        def write(table: Table, rows: list[dict[str, Any]]) -> None:
            names = [column.name for column in table.columns]
            copy_sql = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
            with connection.transaction(), connection.cursor() as cursor, cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row([row.get(name) for name in names])

        _generate(HistoryGenerator(reference, events, end), _Loader(write))
        connection.execute("SET maintenance_work_mem = '512MB'")
        for _, definition in indexes:
            connection.execute(definition)
        connection.execute("VACUUM ANALYZE")
    return Fill(url, events, end)


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
    path = CACHE_DIR / f"history-{events}.db"
    marker = path.with_suffix(".json")
    end = _read_marker(marker.read_text() if marker.exists() and path.exists() else None, events)
    if end is None:
        marker.unlink(missing_ok=True)
        fill = _timed(
            f"SQLite fill of {events:,} events", fill_sqlite, path, events, reference or load_reference(), default_end()
        )
        marker.write_text(_marker(events, fill.end))
        return fill
    upgrade(f"sqlite:///{path}")
    return Fill(f"sqlite:///{path}", events, end)


def postgres_fill(
    events: int = DEFAULT_EVENTS, base_url: str = POSTGRES_URL, reference: Reference | None = None
) -> Fill:
    """The cached PostgreSQL fill (database `bench_history_<events>` on `base_url`'s server), made first
    when missing (migrated to head either way)."""
    database = f"bench_history_{events}"
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
                reference or load_reference(),
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
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    print(sqlite_fill(args.events).url)
    if not args.sqlite_only:
        print(postgres_fill(args.events, args.postgres).url)


if __name__ == "__main__":
    main()
