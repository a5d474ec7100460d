"""Command line: `python -m ingest simulate | import FILE` (the workers: `python -m workers`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import redis

from ingest.files import import_file
from ingest.simulate import run as run_simulation
from store.contract.provinces import parse_provinces
from store.contract.reference import Reference, load_reference
from store.servers.command_line import start_command

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

    files = commands.add_parser("import", help="import a CSV or NDJSON file of events")
    files.add_argument("file", type=Path)

    args = parser.parse_args(argv)
    settings, client = start_command(parser)
    provinces = getattr(args, "province", None) or settings.provinces

    if args.command == "simulate":
        references = [load_reference(code) for code in provinces]
        run_simulation(
            client, references, rate=args.rate, seed=args.seed, duration=args.duration, cap=settings.stream_maxlen
        )
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
