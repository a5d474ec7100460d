"""One official asks for eight 90-day `/tunggu` exports at once from the real app (`python wsgi.py`, gevent) over
a filled archive: two are made, off the event loop, and six are refused at once (429 with Retry-After); meanwhile
`/healthz` and ingest answer as fast as they do with no report running."""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from bench.history_fill import default_end, fill_sqlite
from dashboard.kit.reports import REPORTS_AT_ONCE
from store.contract.reference import load_reference
from tests.support.faults import app_environment, free_port, received_event, spawn, stop, wait_for_app

INGEST_TOKEN = "heavy-ingest-token-0123456789abcdef"
PASSWORD = "admin-pass-123"
EVENTS = 120_000
ASKED = 8
LIMIT_S = 1.0


def _signed_in(base: str) -> requests.Session:
    browser = requests.Session()
    page = browser.get(f"{base}/masuk", timeout=10).text
    form = {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)}
    answer = browser.post(f"{base}/masuk", data=form | {"username": "admin", "password": PASSWORD}, timeout=10)
    assert answer.ok, answer.status_code
    return browser


def _latencies(base: str, seconds: float) -> list[float]:
    """`/healthz` and an ingest batch, in turn, for `seconds`: each one's time to answer."""
    took, n, until = [], 0, time.monotonic() + seconds
    while time.monotonic() < until:
        began = time.monotonic()
        assert requests.get(f"{base}/healthz", timeout=30).status_code in (200, 503)
        ingest = {"Authorization": f"Bearer {INGEST_TOKEN}"}
        event = received_event(f"heavy-{n}-{began}")
        posted = requests.post(f"{base}/api/v1/events", json=[event], headers=ingest, timeout=30)
        assert posted.status_code == 202
        took.append(time.monotonic() - began)
        n += 1
        time.sleep(0.05)
    return took


def test_heavy_reports_leave_the_loop_free_and_are_limited_per_person(redis_process, tmp_path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = app_environment(
        redis_process.url, tmp_path, ADMIN_PASSWORD=PASSWORD, INGEST_TOKENS=f"v:{INGEST_TOKEN}", PORT=str(port)
    )
    fill_sqlite(tmp_path / "history.db", EVENTS, load_reference("12"), default_end())
    app = spawn(["wsgi.py"], tmp_path / "app.log", **env)
    try:
        wait_for_app(base, app, tmp_path / "app.log")
        browser = _signed_in(base)
        export = f"{base}/tunggu/export.xlsx?period=90d"
        began = time.monotonic()
        assert browser.get(export, timeout=60).status_code == 200
        alone = time.monotonic() - began
        quiet = _latencies(base, 2)
        with ThreadPoolExecutor(ASKED + 1) as pool:
            asked = [pool.submit(browser.get, export, timeout=120) for _ in range(ASKED)]
            time.sleep(0.2)
            loaded = pool.submit(_latencies, base, max(2.0, alone)).result()
            statuses = sorted(answer.result().status_code for answer in asked)
        assert statuses == [200] * REPORTS_AT_ONCE + [429] * (ASKED - REPORTS_AT_ONCE), statuses
        print(
            f"export alone {alone:.2f} s; healthz+ingest quiet max {max(quiet):.3f} s, loaded max {max(loaded):.3f} s"
        )
        assert max(loaded) < LIMIT_S, (alone, max(quiet), loaded)
    finally:
        stop(app)
