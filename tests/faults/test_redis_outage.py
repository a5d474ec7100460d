"""Redis stopped while events are posted to the real app: 202 means counted, 503 + Retry-After means nothing kept.

The app (`python wsgi.py`) and the rollup worker run as processes against a redis-server of our own, which the
test stops in the middle of the posts and starts again on the same append-only file.
"""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime

import requests

from tests.support.faults import (
    app_environment,
    caught_up,
    counted,
    demo_events,
    free_port,
    mismatches,
    records,
    spawn,
    wait_for_app,
    wait_until,
)

TOKEN = "outage-test-token"
CHUNK = 100


def _post(session: requests.Session, base: str, lines: list[str]) -> requests.Response:
    return session.post(
        f"{base}/api/v1/events",
        data="\n".join(lines).encode(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/x-ndjson"},
        timeout=30,
    )


def test_redis_outage_during_posts(server_client, redis_process, reference, tmp_path):
    now = datetime.now(UTC)
    events = demo_events(reference, now, hours=0.5, seed=21)
    chunks = [events[i : i + CHUNK] for i in range(0, len(events), CHUNK)]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = app_environment(redis_process.url, tmp_path, INGEST_TOKENS=f"outage:{TOKEN}")
    app = spawn(["wsgi.py"], tmp_path / "app.log", PORT=str(port), **env)
    worker_log = tmp_path / "worker.log"
    worker = spawn(["-m", "workers", "live", "--name", "live-o"], worker_log, **env)
    session = requests.Session()
    outcomes: list[tuple[int, str | None, list[dict]]] = []
    try:
        wait_for_app(base, app, tmp_path / "app.log")

        def poster() -> None:
            for chunk in chunks:
                response = _post(session, base, records(chunk))
                outcomes.append((response.status_code, response.headers.get("Retry-After"), chunk))
                time.sleep(0.01)

        posting = threading.Thread(target=poster)
        posting.start()
        wait_until(lambda: len(outcomes) >= len(chunks) // 4, 30, "posts did not start")
        redis_process.stop()
        wait_until(lambda: sum(status == 503 for status, _, _ in outcomes) >= 5, 30, "no 503 while Redis was down")
        redis_process.start()
        posting.join(120)

        statuses = {status for status, _, _ in outcomes}
        assert statuses == {202, 503}, statuses
        assert all(retry == "5" for status, retry, _ in outcomes if status == 503)
        accepted = [event for status, _, chunk in outcomes if status == 202 for event in chunk]
        refused = [chunk for status, _, chunk in outcomes if status == 503]

        # Everything answered 202 is counted. Of the 503 bodies, only the one in flight when Redis went down may
        # have been kept (its MULTI/EXEC ran, its reply was lost: the app cannot tell): then it is kept whole.
        wait_until(lambda: caught_up(server_client), 60, "the worker did not catch up after Redis returned")
        stored = _stored_event_ids(server_client)
        kept = [chunk for chunk in refused if chunk[0]["event_id"] in stored]
        assert len(kept) <= 1 and all(event["event_id"] in stored for chunk in kept for event in chunk)
        in_stream = accepted + [event for chunk in kept for event in chunk]
        assert len(stored) == len(in_stream) and {event["event_id"] for event in accepted} <= stored
        assert mismatches(server_client, reference, in_stream, now) == {}
        counted_accepted = counted(server_client, reference, now)

        # A client that honours Retry-After sends the refused bodies again: then everything is counted once.
        for chunk in refused:
            assert _post(session, base, records(chunk)).status_code == 202
        wait_until(lambda: caught_up(server_client), 60, "the worker did not catch up after the retries")
        assert mismatches(server_client, reference, events, now) == {}

        log = worker_log.read_text()
        assert "Redis unreachable" in log and "Redis reachable again" in log
        assert worker.poll() is None, "the worker exited instead of reconnecting"
        print(
            f"Redis outage: {len(events)} events sent in {len(chunks)} posts; {len(accepted)} accepted (202), "
            f"{sum(map(len, refused))} refused in {len(refused)} posts (503), {len(kept)} of them kept by Redis "
            f"before the connection dropped; received today counted "
            f"{counted_accepted} of accepted; after retrying the refused: {counted(server_client, reference, now)}"
        )
    finally:
        worker.terminate()
        app.terminate()
        worker.wait(15)
        app.wait(15)


def _stored_event_ids(client) -> set[str]:
    return {json.loads(fields["e"])["event_id"] for _, fields in client.xrange("scc:{p12}:events")}
