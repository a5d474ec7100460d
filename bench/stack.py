"""The served stack in subprocesses, as `make run` starts it: the web app (`python wsgi.py`) and the live
worker (`python -m workers live`) on one Redis, plus a feed posting events over HTTP at a steady rate
and a headless Chromium page on the wall."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psutil
import requests

from bench.harness import free_port
from bench.web import INGEST_TOKEN, WALL_TOKEN
from bench.workload import Workload
from dashboard.kit import ids
from store.contract.reference import Reference
from store.history.db import upgrade

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60


@dataclass
class Stack:
    url: str
    processes: dict[str, psutil.Process]  # "web app", "live worker"

    def rss_mib(self) -> dict[str, float]:
        """Resident memory of each server process with its children (gunicorn's worker), in MiB."""
        return {
            name: sum(p.memory_info().rss for p in [process, *process.children(recursive=True)]) / 2**20
            for name, process in self.processes.items()
        }


@contextmanager
def served_stack(redis_url: str, **settings: str) -> Iterator[Stack]:
    """Start the web app and the live worker on `redis_url` (province 12, a wall token, an ingest token, a
    migrated SQLite database in a temporary directory, and any other `settings` as environment variables); stop
    both on exit."""
    tmp = tempfile.TemporaryDirectory(prefix="scc-bench-")
    database = f"sqlite:///{tmp.name}/app.db"
    upgrade(database)
    port = free_port()
    env = dict(
        os.environ,
        REDIS_URL=redis_url,
        DATABASE_URL=database,
        WALL_TOKENS=f"bench-wall:{WALL_TOKEN}",
        INGEST_TOKENS=f"bench:{INGEST_TOKEN}",
        SECRET_KEY="bench-secret",
        PORT=str(port),
        DEMO="0",
        PYTHONUNBUFFERED="1",
        **settings,
    )
    log = open(Path(tmp.name) / "stack.log", "w", encoding="utf-8")  # noqa: SIM115 - closed below
    commands = {
        "web app": [sys.executable, "wsgi.py"],
        "live worker": [sys.executable, "-m", "workers", "live", "--name", "bench-live"],
    }
    children = {
        name: subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        for name, argv in commands.items()
    }
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_for(url, children, Path(tmp.name) / "stack.log")
        yield Stack(url, {name: psutil.Process(child.pid) for name, child in children.items()})
    finally:
        for child in children.values():
            child.terminate()
        for child in children.values():
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        log.close()
        tmp.cleanup()


def _wait_for(url: str, children: dict[str, subprocess.Popen], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        dead = [name for name, child in children.items() if child.poll() is not None]
        if dead:
            raise RuntimeError(f"{', '.join(dead)} exited:\n{log.read_text(encoding='utf-8')[-3000:]}")
        try:
            if requests.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the web app did not answer within {START_TIMEOUT} s")


class Feed:
    """Realistic events (`bench.workload.Workload` mix) posted to the ingest API in small batches; counts the
    distinct new requests sent, i.e. what the wall's "received today" tile must reach."""

    def __init__(self, url: str, reference: Reference, seed: int = 5) -> None:
        self.endpoint = f"{url}/api/v1/events"
        self.workload = Workload(reference, seed=seed)
        self.session = requests.Session()
        self.session.headers.update({"Authorization": f"Bearer {INGEST_TOKEN}", "Content-Type": "application/json"})
        self.received: set[str] = set()

    def post(self, count: int) -> int:
        """Post `count` events stamped now; returns the expected received count once they are applied."""
        events = self.workload.events(count, datetime.now(UTC), span=timedelta(milliseconds=50))
        response = self.session.post(self.endpoint, data=json.dumps(events), timeout=30)
        response.raise_for_status()
        self.received.update(
            e["request_id"] for e in events if e["type"] == "service_request" and e["status"] == "received"
        )
        return len(self.received)


def steady(rate: float, batch: int, seconds: float, send: Callable[[int, float], Any]) -> int:
    """Call `send(n, posted_at)` with batches of `batch` events on a steady clock for `seconds` at `rate`
    events/s (catching up when late); returns the number of batches sent."""
    interval = batch / rate
    began = time.monotonic()
    n = 0
    while time.monotonic() - began < seconds:
        time.sleep(max(0.0, began + n * interval - time.monotonic()))
        send(n, time.time())
        n += 1
    return n


def received_tile_id() -> str:
    """The DOM id Dash gives the wall's "received today" tile value (a pattern-matching id, keys sorted)."""
    return json.dumps({"key": "received_today", "type": ids.WALL_TILE_VALUE}, separators=(",", ":"))


def open_wall(driver, url: str, timeout: float = 60) -> None:
    """Sign the browser in with the wall token and wait until the wall shows its figures and is LIVE."""
    driver.get(f"{url}/?token={WALL_TOKEN}")
    deadline = time.monotonic() + timeout
    script = "var e=document.getElementById(arguments[0]); var b=document.querySelector('.badge');" + (
        "return [e ? e.textContent : null, b ? b.textContent : null];"
    )
    while time.monotonic() < deadline:
        value, badge = driver.execute_script(script, received_tile_id())
        if value not in (None, "", "–") and badge and "LIVE" in badge:
            return
        time.sleep(0.2)
    raise RuntimeError("the wall did not show its figures")


def tile_number(text: str) -> int:
    """A count as the wall shows it (Indonesian grouping, 1.234) as an int."""
    return int(text.replace(".", "").replace(",", "").strip() or 0)
