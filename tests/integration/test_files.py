"""`python -m ingest import FILE`: whole-file validation, rejected rows by line, re-runs count once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from ingest.files import import_file
from store.contract.keys import Keys
from store.contract.paths import ROOT
from store.live.state import LiveState
from store.pipeline.ops import ingest_rates
from tests.support.clock import freeze_clock

KEYS = Keys("12")
# The subprocesses validate against the real clock, so the events are of now; the snapshot is read for their day.
NOW = datetime.now(UTC)
TS = NOW.isoformat()


def request(n: int, **changes) -> dict:
    return {
        "event_id": f"f{n}", "type": "service_request", "request_id": f"fr{n}", "regency_code": "12.71",
        "status": "received", "category": "air_bersih", "channel": "call_centre",
        "opd": "Perusahaan Umum Daerah Air Minum Kota Medan", "ts": TS, **changes,
    }  # fmt: skip


def test_ndjson_rejections_carry_line_numbers(tmp_path: Path, redis_client, reference, monkeypatch):
    freeze_clock(monkeypatch, NOW)  # the minute the import is counted in
    lines = [json.dumps(request(1)), "", "{oops", json.dumps(request(2, status="lost")), json.dumps(request(3))]
    path = tmp_path / "events.ndjson"
    path.write_text("\n".join(lines) + "\n")
    report = import_file(redis_client, reference, path, cap=10_000)
    assert report.accepted == 2
    assert [line for line, _ in report.rejected] == [3, 4]
    assert report.rejected[1][1].startswith("status: ")
    dead = redis_client.xrange(KEYS.dead_letter)
    assert dead[0][1]["raw"] == "{oops"
    assert ingest_rates(redis_client, KEYS, NOW, minutes=1)["file:events.ndjson"]["series"] == [2]
    assert {d["source"] for _, d in dead} == {"file:events.ndjson"}


def test_csv_with_numbers_and_blank_optionals(tmp_path: Path, redis_client, reference):
    path = tmp_path / "events.csv"
    path.write_text(
        "\ufeffevent_id,type,request_id,regency_code,status,category,channel,opd,ts,satisfaction,metric,value\n"
        f"c1,service_request,cr1,12.71,resolved,air_bersih,web,PDAM Tirtanadi,{TS},4,,\n"
        f"c2,kpi,,12.71,,,,,{TS},,ispu,87\n"
        f"c3,kpi,,12.71,,,,,{TS},,ispu,lots\n"
        f"c4,kpi,,12.71,,,,,{TS},,ispu,12,extra\n"
    )
    report = import_file(redis_client, reference, path, cap=10_000)
    assert report.accepted == 2
    assert [line for line, _ in report.rejected] == [4, 5]
    assert report.rejected[0][1].startswith("value: ")
    stored = [json.loads(f["e"]) for _, f in redis_client.xrange(KEYS.events)]
    assert stored[0]["satisfaction"] == 4 and stored[1]["value"] == 87.0


def test_cli_import_twice_then_worker_counts_once(tmp_path: Path, redis_client, redis_url, reference):
    path = tmp_path / "batch.ndjson"
    path.write_text("\n".join(json.dumps(request(n, event_id=f"x{n}", request_id=f"xr{n}")) for n in range(50)))
    env = {**os.environ, "REDIS_URL": redis_url, "PYTHONPATH": str(ROOT)}

    def command(room: str, *args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", room, *args]
        return subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)

    for _ in range(2):
        done = command("ingest", "import", str(path))
        assert done.returncode == 0, done.stderr
        assert "50 accepted, 0 rejected" in done.stdout
    done = command("workers", "live", "--burst", "--name", "cli-test")
    assert done.returncode == 0, done.stderr
    assert redis_client.xlen(KEYS.events) == 100
    assert LiveState(redis_client, reference).snapshot(NOW)["regencies"]["12.71"]["received_today"] == 50
