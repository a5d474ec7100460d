"""Run every benchmark on every available Redis and print one table (`make bench`)."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from bench import rollup, snapshot
from bench.harness import print_table, redis_servers

BENCHMARKS = (rollup.run, snapshot.run)


def main() -> None:
    began = time.monotonic()
    with redis_servers() as servers:
        figures = [figure for server in servers for run in BENCHMARKS for figure in run(server)]
        print(f"Run at {datetime.now(UTC).isoformat(timespec='seconds')} in {time.monotonic() - began:.0f} s")
        print_table(figures, servers)


if __name__ == "__main__":
    main()
