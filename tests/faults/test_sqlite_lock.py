"""Another process holds SQLite's write lock for 5 s (as a long archive batch or a migration would): the real app
(`python wsgi.py`, gevent) keeps answering within a second, so no answer waits for the lock. Ingest checks its
token without waiting to note its use, `/healthz` and the wall's snapshot never touch a SQL write, and a sign-in
that must write gets 503 with Retry-After, never a 500 or a frozen app."""

from __future__ import annotations

import re
import sqlite3
import time

import requests

from tests.support.faults import KEYS, app_environment, free_port, received_event, spawn, stop, wait_for_app

INGEST_TOKEN = "lock-ingest-token-0123456789abcdef"
WALL_TOKEN = "lock-wall-token-0123456789abcdef"
HELD_S = 5
LIMIT_S = 1.0


def _timed(method: str, url: str, **kwargs) -> tuple[int, float]:
    began = time.monotonic()
    status = requests.request(method, url, timeout=10, **kwargs).status_code
    return status, time.monotonic() - began


def _failed_sign_in(base: str) -> tuple[int, float]:
    """A wrong password through the sign-in form (with its CSRF token): the failure is written to the audit log."""
    browser = requests.Session()
    page = browser.get(f"{base}/masuk", timeout=10).text
    form = {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)}
    form |= {"username": "admin", "password": "wrong-password"}
    began = time.monotonic()
    status = browser.post(f"{base}/masuk", data=form, allow_redirects=False, timeout=10).status_code
    return status, time.monotonic() - began


def test_a_write_lock_held_elsewhere_freezes_nothing(redis_process, tmp_path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = app_environment(
        redis_process.url,
        tmp_path,
        INGEST_TOKENS=f"vendor:{INGEST_TOKEN}",
        WALL_TOKENS=f"wall:{WALL_TOKEN}",
        ADMIN_PASSWORD="admin-pass-123",
        PORT=str(port),
    )
    app = spawn(["wsgi.py"], tmp_path / "app.log", **env)
    holder = sqlite3.connect(tmp_path / "history.db", isolation_level=None, timeout=0)
    try:
        wait_for_app(base, app, tmp_path / "app.log")
        holder.execute("BEGIN IMMEDIATE")  # the write lock, held by this other process
        holder.execute("UPDATE api_tokens SET name = name")
        ingest = {"Authorization": f"Bearer {INGEST_TOKEN}"}
        wall = {"Authorization": f"Bearer {WALL_TOKEN}"}
        began, sent, seen = time.monotonic(), 0, []
        while time.monotonic() - began < HELD_S:
            posted = _timed("POST", f"{base}/api/v1/events", json=[received_event(f"lock-{sent}")], headers=ingest)
            sent += 1
            seen += [("ingest", *posted), ("healthz", *_timed("GET", f"{base}/healthz"))]
            seen.append(("snapshot", *_timed("GET", f"{base}/api/v1/snapshot", headers=wall)))
            seen.append(("sign-in", *_failed_sign_in(base)))
            time.sleep(0.5)
        holder.execute("ROLLBACK")
        slow = [s for s in seen if s[2] > LIMIT_S]
        assert not slow, slow
        by_name: dict[str, set[int]] = {}
        for name, status, _ in seen:
            by_name.setdefault(name, set()).add(status)
        assert by_name["ingest"] == {202}, by_name  # its token checked, its use noted another time
        assert by_name["healthz"] <= {200, 503} and by_name["snapshot"] <= {200, 503}, by_name  # no 500
        assert by_name["sign-in"] <= {200, 503}, by_name  # the failure noted, or 503 with Retry-After
        assert redis_process.client().xlen(KEYS.events) == sent  # every event accepted is in the stream
    finally:
        holder.close()
        stop(app)
