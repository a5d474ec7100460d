"""Command line: `python -m ingest simulate | worker KIND | national | import FILE`."""

from __future__ import annotations

import argparse
import logging
import os
import socket
import sys
from collections.abc import Callable
from pathlib import Path

import redis

from ingest.archive import archive_worker
from ingest.files import import_file
from ingest.national import run_national
from ingest.rollup import live_worker
from ingest.simulate import run as run_simulation
from ingest.worker import StreamWorker, WorkerSpec, run_together
from store.config import Settings, parse_provinces
from store.connection import connect
from store.keys import Keys
from store.reference import Reference, load_reference

# Each kind of worker: (settings, client, reference) -> what its worker does.
WORKER_KINDS: dict[str, Callable[[Settings, redis.Redis, Reference], WorkerSpec]] = {
    "live": live_worker,
    "archive": archive_worker,
}


PROVINCES_HELP = "province codes (12,35) or `all` (default: the deployment's PROVINCES)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    simulate = commands.add_parser("simulate", help="write a believable demo feed for the provinces")
    simulate.add_argument(
        "--rate",
        type=float,
        default=None,
        help="events per second per province, daily mean (default: by the province's population)",
    )
    simulate.add_argument("--province", type=parse_provinces, default=None, help=PROVINCES_HELP)
    simulate.add_argument("--seed", type=int, default=None, help="random seed, for a repeatable feed")
    simulate.add_argument("--duration", type=float, default=None, help="seconds to run (default: forever)")

    worker = commands.add_parser("worker", help="run a stream worker")
    worker.add_argument("kind", choices=sorted(WORKER_KINDS))
    worker.add_argument("--provinces", type=parse_provinces, default=None, help=PROVINCES_HELP)
    worker.add_argument("--burst", action="store_true", help="stop when the stream is drained")
    worker.add_argument("--name", default=None, help="consumer name (default: KIND-HOST-PID)")
    worker.add_argument("--batch-size", type=int, default=1000, help="entries read per batch (1000)")
    worker.add_argument(
        "--claim-idle", type=float, default=60.0, help="seconds before another consumer's pending entry is claimed (60)"
    )
    worker.add_argument(
        "--max-deliveries", type=int, default=5, help="deliveries of a failing entry before it is dead-lettered (5)"
    )

    commands.add_parser("national", help="run the national worker: the provinces' cycles into the national wall's")

    files = commands.add_parser("import", help="import a CSV or NDJSON file of events")
    files.add_argument("file", type=Path)

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings.from_env()
    if not settings.redis_url:
        parser.error("REDIS_URL is required (the launcher passes the embedded server's URL)")
    client = connect(settings.redis_url)
    provinces = getattr(args, "province", None) or getattr(args, "provinces", None) or settings.provinces

    if args.command == "simulate":
        references = [load_reference(code) for code in provinces]
        run_simulation(
            client, references, rate=args.rate, seed=args.seed, duration=args.duration, cap=settings.stream_maxlen
        )
        return 0
    if args.command == "national":
        run_national(settings, client)
        return 0
    if args.command == "worker":
        name = args.name or f"{args.kind}-{socket.gethostname()}-{os.getpid()}"
        workers = [
            StreamWorker(
                client,
                Keys(code),
                WORKER_KINDS[args.kind](settings, client, load_reference(code)),
                name,
                burst=args.burst,
                batch_size=args.batch_size,
                claim_idle_seconds=args.claim_idle,
                max_deliveries=args.max_deliveries,
            )
            for code in provinces
        ]
        run_together(workers)
        return 0
    return _import(client, load_reference(settings.province), args.file, settings.stream_maxlen)


def _import(client: redis.Redis, reference: Reference, path: Path, cap: int) -> int:
    if not path.is_file():
        print(f"{path}: no such file", file=sys.stderr)
        return 2
    report = import_file(client, reference, path, cap)
    for line, error in report.rejected:
        print(f"{path}:{line}: {error}", file=sys.stderr)
    print(f"{path}: {report.accepted} accepted, {len(report.rejected)} rejected")
    return 1 if report.rejected else 0


if __name__ == "__main__":
    sys.exit(main())
