"""Many screens, real processes: the web app (`python wsgi.py`, gunicorn on gevent), the live worker and events
posted over HTTP. More screens than the old server had threads (64) are signed in with wall sessions; every one
applies the worker's pushes (a whole model, then patches in sequence) until it shows the posted figures. Then
the same through HAProxy in front of two app processes (`APP_PROCESSES=2`'s set-up), the screens on
long-polling so that they depend on its sticky cookie: both processes hold screens, and every screen follows
the pushes.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
import requests

from run import haproxy_config
from store.contract.reference import load_reference
from tests.support.faults import (
    app_environment,
    demo_events,
    free_port,
    spawn,
    spawn_worker,
    stop,
    wait_for_app,
    wait_until,
)
from tests.support.screens import Screen

SCREENS = 120
WALL_TOKEN = "many-screens-wall-token-0123456789"
INGEST_TOKEN = "many-screens-ingest-token-0123456789"


def _through(base: str) -> bool:
    try:
        return requests.get(f"{base}/healthz", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _nodes_seen(base: str) -> set[str]:
    """The app processes HAProxy sends new visitors to, by the cookie it gives them (two visitors, round robin)."""
    seen = set()
    for _ in range(2):
        with requests.Session() as visitor:
            try:
                visitor.get(f"{base}/healthz", timeout=2)
            except requests.RequestException:
                continue
            seen.add(visitor.cookies.get("SCCNODE"))
    return seen


def _received_today(events: list[dict]) -> int:
    return len({e["request_id"] for e in events if e["type"] == "service_request" and e["status"] == "received"})


def _connect(base: str, count: int, transport: str) -> list[Screen]:
    screens = [Screen(base, WALL_TOKEN, transport) for _ in range(count)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        connected = list(pool.map(lambda screen: screen.connect(), screens))
    assert all(connected), f"{connected.count(False)} of {count} refused: {next(s.error for s in screens if s.error)}"
    return screens


def _post_and_follow(base: str, screens: list[Screen]) -> None:
    """Post a day's worth of events; every screen must come to show their count, no screen dropped."""
    now = datetime.now(UTC)
    events = demo_events(load_reference("12"), now, hours=1, seed=12)[:400]
    for e in events:
        e["ts"] = now.isoformat()
    answer = requests.post(
        f"{base}/api/v1/events", json=events, headers={"Authorization": f"Bearer {INGEST_TOKEN}"}, timeout=30
    )
    assert answer.status_code == 202 and answer.json()["accepted"] == len(events), answer.text
    expected = f"{_received_today(events):,}".replace(",", ".")
    try:
        wait_until(
            lambda: all((s.model or {}).get("tiles", {}).get("received_today") == expected for s in screens),
            30,
            "not every screen came to show the posted figures",
        )
        assert not any(s.dropped for s in screens)
        assert min(s.applied for s in screens) >= 2  # the whole model on connecting, then the worker's pushes
    finally:
        for screen in screens:
            screen.socket.disconnect()


def test_more_screens_than_the_old_thread_limit_each_follow_the_pushes(redis_process, tmp_path) -> None:
    port = free_port()
    env = app_environment(
        redis_process.url, tmp_path, WALL_TOKENS=f"w:{WALL_TOKEN}", INGEST_TOKENS=f"i:{INGEST_TOKEN}", PORT=str(port)
    )
    app = spawn(["wsgi.py"], tmp_path / "app.log", **env)
    worker = spawn_worker(redis_process.url, "live-many", tmp_path / "worker.log")
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_app(base, app, tmp_path / "app.log")
        _post_and_follow(base, _connect(base, SCREENS, "websocket"))
    finally:
        stop(worker)
        stop(app)


@pytest.mark.skipif(shutil.which("haproxy", path="/usr/sbin:/usr/bin") is None, reason="needs HAProxy")
def test_two_app_processes_behind_haproxy_share_the_pushes(redis_process, tmp_path) -> None:
    ports = [free_port() for _ in range(3)]
    apps = [f"127.0.0.1:{p}" for p in ports[1:]]
    config = tmp_path / "haproxy.cfg"
    config.write_text(haproxy_config(f"127.0.0.1:{ports[0]}", apps), encoding="utf-8")
    tokens = {"WALL_TOKENS": f"w:{WALL_TOKEN}", "INGEST_TOKENS": f"i:{INGEST_TOKEN}"}
    servers = [
        spawn(
            ["wsgi.py"], tmp_path / f"app{n}.log", **app_environment(redis_process.url, tmp_path, **tokens, PORT=str(p))
        )
        for n, p in enumerate(ports[1:])
    ]
    worker = spawn_worker(redis_process.url, "live-lb", tmp_path / "worker.log")
    balancer = subprocess.Popen([shutil.which("haproxy", path="/usr/sbin:/usr/bin"), "-db", "-f", str(config)])
    base = f"http://127.0.0.1:{ports[0]}"
    try:
        for n, address in enumerate(apps):
            wait_for_app(f"http://{address}", servers[n], tmp_path / f"app{n}.log")
        wait_until(lambda: _through(base), 30, "HAProxy did not reach the app processes")
        # HAProxy checks its servers every second: one that was not listening yet when it started comes back
        # into the rotation at its next check.
        wait_until(lambda: _nodes_seen(base) == {"app1", "app2"}, 30, "HAProxy did not put both processes in use")
        screens = _connect(base, 40, "polling")
        nodes = {screen.http.cookies.get("SCCNODE") for screen in screens}
        assert nodes == {"app1", "app2"}, nodes  # new visitors spread, each then sticks to its process
        _post_and_follow(base, screens)
    finally:
        balancer.terminate()
        balancer.wait(timeout=10)
        stop(worker)
        for server in servers:
            stop(server)
        time.sleep(0.1)
