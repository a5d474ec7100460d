"""History archive at scale, on SQLite and PostgreSQL, from a database holding millions of archived events
(`bench.history_fill`, cached between runs).

- archive: `archive_batch` on a realistic stream (batches of 1,000, one transaction each) into a copy
  of the filled database, so every insert pays for the indexes of a full archive;
- queries: the regency page's queries (and the briefing's `compare_regencies`) for a large, a second
  large and a small regency over today, 7, 30 and 90 days, p50/p95 per query over repeated runs.

    python -m bench.history [--events 5000000] [--archive 200000] [--repeats 10] [--national]
                            [--sqlite-only | --postgres-only]

The fill size defaults to HISTORY_BENCH_EVENTS (else 5,000,000), the archived stream to HISTORY_BENCH_ARCHIVE.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing
from datetime import date, datetime, timedelta
from multiprocessing import get_context
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

import store.history.queries as queries
from bench.harness import Figure, format_value, machine, percentile
from bench.history_events import national_reference
from bench.history_fill import (
    DEFAULT_EVENTS,
    POSTGRES_URL,
    Fill,
    postgres_database_url,
    postgres_fill,
    sqlite_fill,
)
from bench.workload import Workload
from dashboard.pages.handoff.view import HandoffRequest, analyse
from dashboard.pages.visit.view import load_pack
from store.contract.events import to_record, validate_event
from store.contract.reference import Reference, load_reference, province_names
from store.history.db import make_sessionmaker
from store.history.open_requests import deadline_watch, oldest_open
from store.history.periods import SPANS, period
from store.history.search import search_requests
from store.history.shifts import digest
from store.history.story import request_story
from workers.archive import archive_batch

REGENCIES = {"12.71": "Medan", "12.07": "Deli Serdang", "12.77": "Padangsidimpuan"}
COMPARED = ("12.71", "12.07", "12.12", "12.75", "12.77", "12.02")
COMPARED_PROVINCES = ("12", "31", "32", "35", "64", "94")  # Sumut, Jakarta, Jabar, Jatim, Kaltim, Papua
SHIFT = timedelta(hours=8)  # the handover digest's period
BATCH = 1_000
QUERY_TARGET_MS = 300
SEARCHED = "jalan"  # in two categories' names: about a quarter of all requests match, to be ranked
ARCHIVE_TARGET = 5_000


def _records(reference: Reference, count: int, end: datetime, source: str = "") -> list[str]:
    """`count` realistic stream records (8% re-sends included) ending at `end`; their event_ids prefixed with
    `source`, so that two runs' events are not taken for re-sends of each other (event_ids are unique)."""
    workload = Workload(reference, seed=11)
    events = workload.events(count, end, span=timedelta(hours=6))
    return [to_record(validate_event({**e, "event_id": source + e["event_id"]}, reference, end)) for e in events]


def archive_rate(url: str, reference: Reference, records: list[str]) -> float:
    """Events per second through `archive_batch`, one committed transaction per batch of `BATCH`."""
    sessions = make_sessionmaker(url)
    try:
        began = time.perf_counter()
        for start in range(0, len(records), BATCH):
            with sessions.begin() as session:
                archive_batch(session, records[start : start + BATCH], reference)
        return len(records) / (time.perf_counter() - began)
    finally:
        sessions.kw["bind"].dispose()


SIDE_BY_SIDE = ("12", "35")  # the provinces archived at once on PostgreSQL: Sumatera Utara and Jawa Timur


def _archive_one_province(
    url: str, province: str, count: int, end: datetime, start_at: float, source: str
) -> tuple[float, float]:
    """One process's share of `archive_side_by_side`: its province's records made first, then archived from the
    agreed moment; returns when it started and ended (the machine's monotonic clock, shared by its processes)."""
    reference = load_reference(province)
    records = _records(reference, count, end, source=f"{source}{province}-")
    time.sleep(max(0.0, start_at - time.time()))
    began = time.monotonic()
    archive_rate(url, reference, records)
    return began, time.monotonic()


def archive_side_by_side(url: str, count: int, end: datetime, source: str) -> float:
    """Events per second through `archive_batch` in one process per province of `SIDE_BY_SIDE`, at once (`count`
    events each): PostgreSQL's archive lock is the province's."""
    start_at = time.time() + 15  # each process has made its records by then
    with ProcessPoolExecutor(len(SIDE_BY_SIDE), mp_context=get_context("spawn")) as pool:
        parts = [pool.submit(_archive_one_province, url, p, count, end, start_at, source) for p in SIDE_BY_SIDE]
        spans = [part.result() for part in parts]
    return count * len(SIDE_BY_SIDE) / (max(e for _, e in spans) - min(b for b, _ in spans))


class _NoAcknowledgements:
    """The alert book's part of a handover digest (Redis), left out: this benchmark measures the SQL history."""

    def acknowledged_between(self, since: datetime, until: datetime) -> list:
        return []


def _page_queries(reference: Reference) -> dict[str, Callable[..., Any]]:
    provinces = list(province_names())
    snapshot = {"regencies": {code: {"overdue": 0} for code in reference.regencies}, "totals": {"overdue": 0}}
    return {
        "summary": lambda s, code, first, last, now: queries.summary(s, code, first, last, now),
        "daily_series": lambda s, code, first, last, now: queries.daily_series(s, code, first, last),
        "categories": lambda s, code, first, last, now: queries.categories(s, code, first, last),
        "opd_table": lambda s, code, first, last, now: queries.opd_table(s, code, first, last, now),
        "deadline_watch": lambda s, code, first, last, now: deadline_watch(s, code, now),
        "kpi_series": lambda s, code, first, last, now: queries.kpi_series(s, code, reference.kpis, first, last),
        "compare_regencies": lambda s, code, first, last, now: queries.compare_regencies(
            s, COMPARED, reference.regencies, first, last
        ),
        "national_briefing": lambda s, code, first, last, now: (
            queries.compare_regencies(s, COMPARED_PROVINCES, provinces, first, last),
            queries.history_starts(s, COMPARED_PROVINCES),
        ),
        # The briefing room's: a search across the province, a request's page, where requests wait.
        "search": lambda s, code, first, last, now: search_requests(s, reference.province, SEARCHED, now),
        "request_page": lambda s, code, first, last, now: [
            request_story(s, code, r["request_id"], now) for r in oldest_open(s, code, now, 1)
        ],
        "handoff": lambda s, code, first, last, now: _handoff(s, code, first, last, now),
        "handoff_province": lambda s, code, first, last, now: _handoff(s, reference.province, first, last, now),
        "visit_pack": lambda s, code, first, last, now: load_pack(s, reference, code, last, now),
        "handover": lambda s, code, first, last, now: digest(s, _NoAcknowledgements(), snapshot, now - SHIFT, now),
    }


def _handoff(session: Any, area: str, first: date, last: date, now: datetime) -> Any:
    """What `/tunggu` computes for a regency or the province: its waits and the period before's, summed up."""
    return analyse(session, HandoffRequest(area, "range", "opd", first, last), now)


# The queries that ask about the whole province (or the nation), whatever the regency in turn.
PROVINCE_WIDE = frozenset({"search", "compare_regencies", "national_briefing", "handoff_province", "handover"})


def query_times(fill: Fill, reference: Reference, repeats: int) -> dict[str, dict[tuple[str, str], list[float]]]:
    """Milliseconds per query, per (regency, span) (the province for `PROVINCE_WIDE`), over `repeats` runs after
    one warm-up run."""
    sessions = make_sessionmaker(fill.url)
    times: dict[str, dict[tuple[str, str], list[float]]] = defaultdict(lambda: defaultdict(list))
    try:
        for run in range(repeats + 1):
            for code in REGENCIES:
                for span in SPANS:
                    first, last = period(span, fill.today)
                    with sessions() as session:
                        for name, query in _page_queries(reference).items():
                            began = time.perf_counter()
                            query(session, code, first, last, fill.end)
                            if run:  # a province-wide query's case is the province, whichever regency's turn
                                case = (reference.province if name in PROVINCE_WIDE else code, span)
                                times[name][case].append((time.perf_counter() - began) * 1000)
    finally:
        sessions.kw["bind"].dispose()
    return times


def _query_figures(label: str, times: dict[str, dict[tuple[str, str], list[float]]]) -> list[Figure]:
    figures = []
    for name, by_case in times.items():
        every = [ms for samples in by_case.values() for ms in samples]
        worst_case, worst = max(((case, percentile(s, 95)) for case, s in by_case.items()), key=lambda item: item[1])
        p95 = percentile(every, 95)
        target = f"< {QUERY_TARGET_MS}"
        figures += [
            Figure(label, f"{name} p50", percentile(every, 50), "ms"),
            Figure(label, f"{name} p95", p95, "ms", target, p95 < QUERY_TARGET_MS),
            Figure(
                label, f"  worst p95 ({worst_case[0]} {worst_case[1]})", worst, "ms", target, worst < QUERY_TARGET_MS
            ),
        ]
    return figures


def _archive_figure(label: str, rate: float, events: int) -> Figure:
    return Figure(
        label,
        f"archive_batch sustained ({events // 1000}k events)",
        rate,
        "events/s",
        f">= {ARCHIVE_TARGET:,}",
        rate >= ARCHIVE_TARGET,
    )


def bench_sqlite(
    events: int, archive_events: int, repeats: int, reference: Reference, filled: Reference
) -> list[Figure]:
    fill = sqlite_fill(events, filled)
    figures = _query_figures("sqlite", query_times(fill, reference, repeats))
    path = make_url(fill.url).database
    copy = f"{path}.work"
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(path, copy)
    try:
        rate = archive_rate(f"sqlite:///{copy}", reference, _records(reference, archive_events, fill.end))
    finally:
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(copy + suffix):
                os.remove(copy + suffix)
    return [_archive_figure("sqlite", rate, archive_events), *figures]


def bench_postgres(
    events: int, archive_events: int, repeats: int, reference: Reference, filled: Reference, base_url: str
) -> list[Figure]:
    fill = postgres_fill(events, base_url, filled)
    figures = _query_figures("postgres", query_times(fill, reference, repeats))
    work = f"bench_history_{events}_work"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            if _room_for_a_copy(connection, make_url(fill.url).database):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{work}"'))
                connection.execute(text(f'CREATE DATABASE "{work}" TEMPLATE "{make_url(fill.url).database}"'))
                url = postgres_database_url(base_url, work)
            else:
                print("PostgreSQL: no room on disk for a copy of the fill; archiving into the fill itself", flush=True)
                url = fill.url
        run = f"{time.time_ns()}-"  # events of their own, even when the fill itself takes them
        rate = archive_rate(url, reference, _records(reference, archive_events, fill.end, source=run))
        together = archive_side_by_side(url, archive_events // 2, fill.end, run)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{work}" WITH (FORCE)'))
        admin.dispose()
    side_by_side = Figure(
        "postgres",
        f"archive_batch, {len(SIDE_BY_SIDE)} provinces side by side ({archive_events // 1000}k events)",
        together,
        "events/s",
        f">= {ARCHIVE_TARGET:,}",
        together >= ARCHIVE_TARGET,
    )
    return [_archive_figure("postgres", rate, archive_events), side_by_side, *figures]


def _room_for_a_copy(connection: Any, database: str) -> bool:
    """Whether the server's disk holds another copy of `database` (when the server is this machine's)."""
    size = connection.execute(text("SELECT pg_database_size(:d)"), {"d": database}).scalar()
    directory = connection.execute(text("SHOW data_directory")).scalar()
    if not os.path.isdir(directory):
        return True
    return shutil.disk_usage(directory).free > 1.2 * size


def run(
    events: int | None = None,
    archive_events: int | None = None,
    repeats: int = 10,
    postgres: str | None = POSTGRES_URL,
    sqlite: bool = True,
    national: bool = False,
) -> list[Figure]:
    """Every figure of this benchmark: SQLite unless not `sqlite`, then PostgreSQL at `postgres` unless None. The fill
    is Sumatera Utara's, or with `national` the whole country's over a year; the pages asked are Sumatera Utara's."""
    events = events or int(os.environ.get("HISTORY_BENCH_EVENTS", DEFAULT_EVENTS))
    archive_events = archive_events or int(os.environ.get("HISTORY_BENCH_ARCHIVE", 200_000))
    reference = load_reference()
    filled = national_reference() if national else reference
    scope = "national" if national else "Sumatera Utara"
    print(f"History: {scope} fill of {events:,} archived events, {archive_events:,} more archived", flush=True)
    figures = bench_sqlite(events, archive_events, repeats, reference, filled) if sqlite else []
    if postgres:
        figures += bench_postgres(events, archive_events, repeats, reference, filled, postgres)
    return figures


def print_figures(figures: list[Figure]) -> None:
    info = machine()
    print(f"Machine: {info['cpu']}, {info['cores']} cores, Python {info['python']}, load average {info['load']}")
    width = max(len(f.name) for f in figures)
    print(f"{'database':<9} {'figure':<{width}} {'value':>10} {'unit':<9} {'target':<10} ok")
    for f in figures:
        verdict = "" if f.ok is None else ("yes" if f.ok else "NO")
        print(
            f"{f.server:<9} {f.name:<{width}} {format_value(f.value, f.unit):>10} {f.unit:<9} {f.target:<10} {verdict}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, help="archived events in the fill")
    parser.add_argument("--archive", type=int, help="events to archive on top of the fill")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--postgres", default=POSTGRES_URL)
    parser.add_argument("--national", action="store_true", help="fill every province's regencies, over a year")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--sqlite-only", action="store_true")
    only.add_argument("--postgres-only", action="store_true")
    args = parser.parse_args()
    began = time.monotonic()
    postgres = None if args.sqlite_only else args.postgres
    figures = run(args.events, args.archive, args.repeats, postgres, not args.postgres_only, args.national)
    print(f"Took {time.monotonic() - began:.0f} s")
    print_figures(figures)


if __name__ == "__main__":
    main()
