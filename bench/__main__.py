"""Run every benchmark on every available Redis, then the history archive's on SQLite and PostgreSQL,
and print one table (`make bench`)."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime

from bench import (
    cluster,
    history,
    ingest_http,
    lag,
    latency,
    map_page,
    national,
    page,
    rollup,
    screens,
    slow_clients,
    snapshot,
    wall,
)
from bench.harness import Figure, Server, print_table, redis_servers

BENCHMARKS = (
    rollup.run,
    cluster.run,
    national.run,
    snapshot.run,
    wall.run,
    ingest_http.run,
    lag.run,
    latency.run,
    page.run,
    map_page.run,
    slow_clients.run,
    screens.run,
)


def _guarded(run: Callable[[Server], list[Figure]], server: Server) -> list[Figure]:
    """A benchmark's figures, or one row naming its failure, so the others still report."""
    try:
        return run(server)
    except Exception as exc:
        traceback.print_exc()
        return [Figure(server.label, f"{run.__module__} FAILED: {type(exc).__name__}", float("nan"), "")]


def _history() -> list[Figure]:
    """The history benchmark (no Redis: its own SQLite and PostgreSQL databases), or its failure."""
    try:
        return history.run()
    except Exception as exc:
        traceback.print_exc()
        return [Figure("history", f"bench.history FAILED: {type(exc).__name__}", float("nan"), "")]


def main() -> None:
    began, started = time.monotonic(), datetime.now(UTC).isoformat(timespec="seconds")
    with redis_servers() as servers:
        figures = [figure for server in servers for run in BENCHMARKS for figure in _guarded(run, server)]
        figures += _history()
        print(f"Started {started}, took {time.monotonic() - began:.0f} s")
        print_table(figures, servers)


if __name__ == "__main__":
    main()
