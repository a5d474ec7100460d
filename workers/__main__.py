"""Command line: `python -m workers live | archive [--provinces 12,35] | national | notices`."""

from __future__ import annotations

import argparse
import os
import socket
import sys
from collections.abc import Callable

import redis

from store.contract.keys import Keys
from store.contract.provinces import parse_provinces
from store.contract.reference import Reference, load_reference
from store.contract.settings import Settings
from store.servers.command_line import start_command
from workers.archive import archive_worker
from workers.consumer import StreamWorker, WorkerSpec, run_together
from workers.live import live_worker
from workers.national import run_national
from workers.notices import run_notices

# Each kind of stream worker: (settings, client, reference) -> what its worker does.
WORKER_KINDS: dict[str, Callable[[Settings, redis.Redis, Reference], WorkerSpec]] = {
    "live": live_worker,
    "archive": archive_worker,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workers", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for kind in sorted(WORKER_KINDS):
        worker = commands.add_parser(kind, help=f"run the {kind} consumer group's worker")
        worker.add_argument(
            "--provinces",
            type=parse_provinces,
            default=None,
            help="province codes (12,35) or `all` (default: the deployment's PROVINCES)",
        )
        worker.add_argument("--burst", action="store_true", help="stop when the stream is drained")
        worker.add_argument("--name", default=None, help="consumer name (default: KIND-HOST-PID)")
        worker.add_argument("--batch-size", type=int, default=1000, help="entries read per batch (1000)")
        worker.add_argument(
            "--claim-idle",
            type=float,
            default=60.0,
            help="seconds before another consumer's pending entry is claimed (60)",
        )
        worker.add_argument(
            "--max-deliveries", type=int, default=5, help="deliveries of a failing entry before it is dead-lettered (5)"
        )
    commands.add_parser("national", help="run the national worker: the provinces' cycles into the national wall's")
    commands.add_parser("notices", help="run the notices worker: deadline rules, escalation and the outbox")

    args = parser.parse_args(argv)
    settings, client = start_command(parser)
    if args.command == "national":
        run_national(settings, client)
        return 0
    if args.command == "notices":
        run_notices(settings, client)
        return 0
    name = args.name or f"{args.command}-{socket.gethostname()}-{os.getpid()}"
    workers = [
        StreamWorker(
            client,
            Keys(code),
            WORKER_KINDS[args.command](settings, client, load_reference(code)),
            name,
            burst=args.burst,
            batch_size=args.batch_size,
            claim_idle_seconds=args.claim_idle,
            max_deliveries=args.max_deliveries,
        )
        for code in args.provinces or settings.provinces
    ]
    run_together(workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
