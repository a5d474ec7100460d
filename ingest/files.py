"""Importing a CSV or NDJSON file of events through the same validation and stream as the HTTP intake.

Re-running an import adds nothing to the figures: event ids are stable, so the rollup sees duplicates.
"""

from __future__ import annotations

import contextlib
import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis
from tqdm import tqdm

from store.contract import clock
from store.contract.events import InvalidLine, decode_body, to_record, validate_event
from store.contract.keys import Keys
from store.contract.reference import Reference
from store.pipeline.ops import count_ingest
from store.pipeline.streams import append_when_room, dead_letter_all

LARGE_FILE_BYTES = 1024 * 1024  # a progress bar from this size on
BATCH = 1000
CSV_NUMBERS = {"value": float, "satisfaction": int}


@dataclass
class ImportReport:
    accepted: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line number, error)


def import_file(
    client: redis.Redis, reference: Reference, path: Path, cap: int, progress: bool | None = None
) -> ImportReport:
    """Validate every row of `path` (.csv, else NDJSON), append the valid ones, dead-letter the rest.

    `progress` shows a tqdm bar; by default only for files of `LARGE_FILE_BYTES` or more.
    """
    keys = Keys(reference.province)
    report = ImportReport()
    source = f"file:{path.name}"
    size = path.stat().st_size
    show = size >= LARGE_FILE_BYTES if progress is None else progress
    with path.open("rb") as f, tqdm(total=size, unit="B", unit_scale=True, disable=not show) as bar:
        lines = _counted(f, bar)
        items = _csv_items(lines) if path.suffix.lower() == ".csv" else _ndjson_items(lines)
        records: list[str] = []
        rejected: list[tuple[str, str]] = []
        for number, raw, item in items:
            try:
                if isinstance(item, InvalidLine):
                    raise ValueError(item.error)
                records.append(to_record(validate_event(item, reference)))
            except ValueError as exc:
                report.rejected.append((number, str(exc)))
                rejected.append((raw, str(exc)))
            if len(records) + len(rejected) >= BATCH:
                report.accepted += _flush(client, keys, records, rejected, cap, source)
                records, rejected = [], []
        report.accepted += _flush(client, keys, records, rejected, cap, source)
    return report


def _flush(
    client: redis.Redis, keys: Keys, records: list[str], rejected: list[tuple[str, str]], cap: int, source: str
) -> int:
    dead_letter_all(client, keys, rejected, source)
    appended = len(append_when_room(client, keys, records, cap))
    count_ingest(client, keys, source, appended, clock.now())  # /ops counts every source, files too
    return appended


def _counted(lines: Iterable[bytes], bar: tqdm) -> Iterator[str]:
    for line in lines:
        bar.update(len(line))
        # Not UTF-8: kept visible as escapes, so the line is rejected on its own (not the whole file).
        yield line.decode("utf-8-sig", "backslashreplace")


def _ndjson_items(lines: Iterable[str]) -> Iterator[tuple[int, str, Any]]:
    for number, line in enumerate(lines, 1):
        text = line.strip()
        if not text:
            continue
        yield number, text, decode_body(text.encode(), "application/x-ndjson")[0]


def _csv_items(lines: Iterable[str]) -> Iterator[tuple[int, str, Any]]:
    reader = csv.DictReader(lines)
    for row in reader:
        raw = json.dumps(row, ensure_ascii=False)
        if None in row:
            yield reader.line_num, raw, InvalidLine("event: more cells than header columns")
            continue
        yield reader.line_num, raw, _typed({k: v for k, v in row.items() if v not in ("", None)})


def _typed(row: dict[str, Any]) -> dict[str, Any]:
    """CSV cells are text; numeric fields become numbers when they parse (else validation names them)."""
    for name, kind in CSV_NUMBERS.items():
        if name in row:
            with contextlib.suppress(ValueError):
                row[name] = kind(row[name])
    return row
