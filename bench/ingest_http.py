"""HTTP ingest: `POST /api/v1/events` with JSON arrays of 1,000 realistic events, served by waitress on
loopback in its own process, posted from this one."""

from __future__ import annotations

import json
import multiprocessing
import tempfile
import time
from datetime import UTC, datetime

import redis
import requests
import waitress
from flask import Flask

from bench.harness import Figure, Server, free_port, main_for
from bench.pipeline import BATCH
from bench.workload import Workload
from ingest.api import create_ingest_blueprint
from store.access.accounts import TokenInfo, provision_from_settings
from store.access.gate import BearerGate, Verdict
from store.contract.keys import Keys
from store.contract.reference import Reference, load_reference
from store.contract.settings import Settings
from store.history.db import make_sessionmaker, upgrade

BATCHES = 30
TARGET_RATE = 10_000
TOKEN = "bench-token"
SMALL_BATCH = 10


class OpenGate:
    """Lets every request in as one source: the ingest path without authentication, for comparison."""

    def check(self, authorization: str | None, ip: str) -> Verdict:
        return Verdict(TokenInfo(id=0, name="bench", kind="ingest"))


def _serve(url: str, port: int, reference: Reference, database: str, authenticate: bool) -> None:
    client = redis.Redis.from_url(url)
    settings = Settings(redis_url=url, ingest_tokens={TOKEN: "bench"})
    upgrade(database)
    sessions = make_sessionmaker(database)
    with sessions.begin() as session:
        provision_from_settings(session, settings)
    keys = Keys(reference.province)
    # The per-token request limit is lifted: the benchmark posts far faster than one real source may.
    gate = (
        BearerGate(sessions, lambda: client, keys, "ingest", requests_per_second=10**6) if authenticate else OpenGate()
    )
    app = Flask(__name__)
    app.register_blueprint(
        create_ingest_blueprint(settings, lambda: client, {reference.province: reference}, sessions, gate)
    )
    waitress.serve(app, host="127.0.0.1", port=port, threads=4, _quiet=True)


def ingest_rate(server: Server, batch: int = BATCH, authenticate: bool = True) -> float:
    """Accepted events per second over BATCHES posts of `batch` events, one after another."""
    reference = load_reference("12")
    events = Workload(reference).events(BATCHES * batch, datetime.now(UTC))
    bodies = [json.dumps(events[i : i + batch]).encode() for i in range(0, len(events), batch)]
    port = free_port()
    tmp = tempfile.TemporaryDirectory(prefix="scc-bench-")
    database = f"sqlite:///{tmp.name}/tokens.db"
    process = multiprocessing.get_context("fork").Process(
        target=_serve, args=(server.url, port, reference, database, authenticate), daemon=True
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
    figures = [
        Figure(
            server.label, "HTTP ingest, batches of 1,000", rate, "events/s", f">= {TARGET_RATE:,}", rate >= TARGET_RATE
        )
    ]
    for batch in (BATCH, SMALL_BATCH):
        with_auth = ingest_rate(server, batch, authenticate=True)
        without = ingest_rate(server, batch, authenticate=False)
        figures += [
            Figure(server.label, f"  batches of {batch:,}, with token check", with_auth, "events/s"),
            Figure(server.label, f"  batches of {batch:,}, no token check", without, "events/s"),
            Figure(
                server.label, f"  batches of {batch:,}, cost of the token check", 100 * (1 - with_auth / without), "%"
            ),
        ]
    return figures


if __name__ == "__main__":
    main_for(run)
