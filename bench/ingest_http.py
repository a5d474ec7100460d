"""HTTP ingest: `POST /api/v1/events` with JSON arrays of 1,000 realistic events, served by waitress on
loopback in its own process, posted from this one."""

from __future__ import annotations

import json
import multiprocessing
import socket
import tempfile
import time
from datetime import UTC, datetime

import redis
import requests
import waitress
from flask import Flask

from bench.harness import Figure, Server, main_for
from bench.pipeline import BATCH
from bench.workload import Workload
from ingest.api import create_ingest_blueprint
from store.auth import provision_from_settings
from store.config import Settings
from store.db import make_sessionmaker, upgrade
from store.reference import Reference, load_reference

BATCHES = 30
TARGET_RATE = 10_000
TOKEN = "bench-token"


def _serve(url: str, port: int, reference: Reference, database: str) -> None:
    client = redis.Redis.from_url(url)
    settings = Settings(redis_url=url, ingest_tokens={TOKEN: "bench"})
    upgrade(database)
    sessions = make_sessionmaker(database)
    with sessions.begin() as session:
        provision_from_settings(session, settings)
    app = Flask(__name__)
    app.register_blueprint(create_ingest_blueprint(settings, lambda: client, reference, sessions))
    waitress.serve(app, host="127.0.0.1", port=port, threads=4, _quiet=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ingest_rate(server: Server) -> float:
    """Accepted events per second over BATCHES posts of BATCH events, one after another."""
    reference = load_reference("12")
    events = Workload(reference).events(BATCHES * BATCH, datetime.now(UTC))
    bodies = [json.dumps(events[i : i + BATCH]).encode() for i in range(0, len(events), BATCH)]
    port = _free_port()
    tmp = tempfile.TemporaryDirectory(prefix="scc-bench-")
    database = f"sqlite:///{tmp.name}/tokens.db"
    process = multiprocessing.get_context("fork").Process(
        target=_serve, args=(server.url, port, reference, database), daemon=True
    )
    server.client().flushdb()
    process.start()
    try:
        session = requests.Session()
        session.headers.update({"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
        endpoint = f"http://127.0.0.1:{port}/api/v1/events"
        while True:  # wait for the server to listen
            try:
                session.post(endpoint, data=b"[]", timeout=5).raise_for_status()
                break
            except requests.ConnectionError:
                if not process.is_alive():
                    raise RuntimeError("the ingest server did not start") from None
                time.sleep(0.1)
        accepted = 0
        began = time.monotonic()
        for body in bodies:
            response = session.post(endpoint, data=body, timeout=60)
            response.raise_for_status()
            accepted += response.json()["accepted"]
        seconds = time.monotonic() - began
    finally:
        process.terminate()
        process.join()
        server.client().flushdb()
        tmp.cleanup()
    assert accepted == len(events), f"{len(events) - accepted} events rejected"
    return accepted / seconds


def run(server: Server) -> list[Figure]:
    rate = ingest_rate(server)
    return [
        Figure(
            server.label, "HTTP ingest, batches of 1,000", rate, "events/s", f">= {TARGET_RATE:,}", rate >= TARGET_RATE
        )
    ]


if __name__ == "__main__":
    main_for(run)
