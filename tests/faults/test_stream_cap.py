"""A worker that falls behind the stream's cap loses nothing: the door refuses, the stream keeps what is unread.

The app (`python wsgi.py`), the live and the archive worker run as processes against a redis-server of our own,
with a cap of `CAP` entries. Each worker in turn is paused (SIGSTOP) while several times the cap is posted, with
the sender retrying each refused body after a pause; then resumed. Every event answered 202 must be counted
exactly once live (every figure equals the oracle of the events) and archived exactly once (one row per event).
"""

from __future__ import annotations

import signal
import threading
import time
from datetime import UTC, datetime

import pytest
import redis
import requests
from sqlalchemy import create_engine, func, select

from store.contract.keys import ARCHIVE_GROUP, LIVE_GROUP
from store.history.models import KpiSample, StatusChange
from tests.support.faults import (
    KEYS,
    app_environment,
    demo_events,
    free_port,
    mismatches,
    records,
    spawn,
    stop,
    wait_for_app,
    wait_until,
)

TOKEN = "cap-test-token"
CAP = 1500
CHUNK = 100


def _all_read(client) -> bool:
    """Both groups have acknowledged everything, and the workers have trimmed it."""
    try:
        groups = {g["name"]: g for g in client.xinfo_groups(KEYS.events)}
    except redis.ResponseError:  # no stream yet
        return False
    last = client.xinfo_stream(KEYS.events)["last-generated-id"]
    done = all(
        name in groups and groups[name]["pending"] == 0 and groups[name]["last-delivered-id"] == last
        for name in (LIVE_GROUP, ARCHIVE_GROUP)
    )
    return done and client.xlen(KEYS.events) == 0


def _archived(database_url: str) -> int:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(select(func.count()).select_from(StatusChange)).scalar_one()
        rows += connection.execute(select(func.count()).select_from(KpiSample)).scalar_one()
    engine.dispose()
    return rows


class Sender:
    """Posts chunks in order, retrying a refused one (503) after a pause, as a client honouring Retry-After."""

    def __init__(self, base: str, chunks: list[list[dict]]) -> None:
        self.base = base
        self.chunks = chunks
        self.accepted: list[dict] = []
        self.refusals = 0
        self.statuses: set[int] = set()
        self.longest_stream = 0
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        session = requests.Session()
        for chunk in self.chunks:
            while True:
                response = session.post(
                    f"{self.base}/api/v1/events",
                    data="\n".join(records(chunk)).encode(),
                    headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/x-ndjson"},
                    timeout=30,
                )
                self.statuses.add(response.status_code)
                if response.status_code == 202:
                    assert response.json()["accepted"] == len(chunk)
                    self.accepted.extend(chunk)
                    break
                assert response.status_code == 503 and response.headers["Retry-After"], response.text
                self.refusals += 1
                time.sleep(0.2)


@pytest.mark.parametrize("paused", [LIVE_GROUP, ARCHIVE_GROUP])
def test_a_paused_worker_loses_nothing_past_the_cap(server_client, redis_process, reference, tmp_path, paused):
    now = datetime.now(UTC)
    events = demo_events(reference, now, hours=0.1, seed=31)
    assert len(events) > 2 * CAP
    chunks = [events[i : i + CHUNK] for i in range(0, len(events), CHUNK)]
    port = free_port()
    env = app_environment(redis_process.url, tmp_path, INGEST_TOKENS=f"cap:{TOKEN}", STREAM_MAXLEN=str(CAP))
    app = spawn(["wsgi.py"], tmp_path / "app.log", PORT=str(port), **env)
    workers = {
        group: spawn(["-m", "workers", group, "--name", f"{group}-cap"], tmp_path / f"{group}.log", **env)
        for group in (LIVE_GROUP, ARCHIVE_GROUP)
    }
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_app(base, app, tmp_path / "app.log")
        wait_until(lambda: len(server_client.xinfo_groups(KEYS.events)) == 2, 30, "the workers did not start")
        workers[paused].send_signal(signal.SIGSTOP)
        sender = Sender(base, chunks)
        sender.thread.start()
        wait_until(lambda: sender.refusals >= 3, 60, "the door never refused while a worker was paused")
        sender.longest_stream = server_client.xlen(KEYS.events)
        assert sender.longest_stream <= CAP  # nothing past the cap, and nothing unread trimmed to get there
        health = requests.get(f"{base}/healthz", timeout=5).json()
        assert health["stream"]["full"] or health["stream"]["length"] > CAP - CHUNK
        assert health["stream"]["refused_5min"] > 0
        workers[paused].send_signal(signal.SIGCONT)
        sender.thread.join(180)
        assert not sender.thread.is_alive(), "the sender did not finish"
        assert sender.statuses == {202, 503}
        assert len(sender.accepted) == len(events)

        wait_until(lambda: _all_read(server_client), 90, "the workers did not read and trim everything")
        assert mismatches(server_client, reference, sender.accepted, now) == {}  # counted once live
        wait_until(lambda: _archived(env["DATABASE_URL"]) == len(events), 30, "not every event was archived")
        print(
            f"paused {paused}: {len(events)} events in {len(chunks)} bodies, {sender.refusals} refusals (503) at "
            f"{sender.longest_stream} of {CAP}; live figures equal the oracle; {len(events)} rows archived"
        )
    finally:
        for process in workers.values():
            process.send_signal(signal.SIGCONT)
            stop(process)
        stop(app)
