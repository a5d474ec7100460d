"""Run every benchmark on every available Redis and print one table (`make bench`)."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from bench import ingest_http, lag, rollup, snapshot
from bench.harness import print_table, redis_servers

BENCHMARKS = (rollup.run, snapshot.run, ingest_http.run, lag.run)


def main() -> None:
    began, started = time.monotonic(), datetime.now(UTC).isoformat(timespec="seconds")
    with redis_servers() as servers:
        figures = [figure for server in servers for run in BENCHMARKS for figure in run(server)]
        print(f"Started {started}, took {time.monotonic() - began:.0f} s")
        print_table(figures, servers)


if __name__ == "__main__":
    main()
