"""The wall in headless Chromium against the real app process: Redis stopped and started, then the app stopped
and started; the wall says TERPUTUS (DISCONNECTED) and comes back by itself, with its figures resynchronised.
Then the live worker hangs: the wall says TERTUNDA (STALE) once its figures are over a minute old."""

from __future__ import annotations

import signal
import time
from datetime import UTC, datetime

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By

from dashboard.i18n import t
from dashboard.kit import ids
from store.pipeline.streams import append_events
from tests.support.faults import (
    KEYS,
    app_environment,
    caught_up,
    counted,
    demo_events,
    free_port,
    records,
    spawn,
    stop,
    wait_for_app,
    wait_until,
)
from tests.support.wall import tile_id
from workers.live import SOCKETIO_CHANNEL

pytestmark = pytest.mark.browser
WALL_TOKEN = "fault-wall-token-0123456789abcdef"
RECOVERY_S = 10
STALE_AFTER_S = 15  # WALL_STALE_SECONDS for this test: the least it may be


@pytest.fixture
def browser():
    options = webdriver.ChromeOptions()
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"):
        options.add_argument(argument)
    options.add_argument("--window-size=1920,1080")
    driver = webdriver.Chrome(options=options)
    yield driver
    driver.quit()


def test_wall_shows_disconnected_and_recovers_from_redis_and_app_restarts(
    browser, server_client, redis_process, reference, tmp_path
):
    now = datetime.now(UTC)
    events = records(demo_events(reference, now, hours=0.3, seed=41))
    quarter = len(events) // 4
    parts = [events[:quarter], events[quarter : 2 * quarter], events[2 * quarter : 3 * quarter], events[3 * quarter :]]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = app_environment(
        redis_process.url, tmp_path, WALL_TOKENS=f"main-wall:{WALL_TOKEN}", WALL_STALE_SECONDS=str(STALE_AFTER_S)
    )
    worker = spawn(["-m", "workers", "live", "--name", "live-wall"], tmp_path / "worker.log", **env)
    app = spawn(["wsgi.py"], tmp_path / "app.log", PORT=str(port), **env)
    live, disconnected, stale = t("live", "id"), t("disconnected", "id"), t("stale", "id")

    def badge() -> str:
        found = browser.find_elements(By.ID, ids.WALL_BADGE)
        return found[0].text if found else ""

    def received() -> int | None:
        found = browser.find_elements(By.CSS_SELECTOR, "#" + tile_id("received_today"))
        digits = found[0].text.replace(".", "") if found else ""
        return int(digits) if digits.isdigit() else None

    def feed(part: list[str]) -> None:
        append_events(server_client, KEYS, part, cap=1_000_000)
        wait_until(lambda: caught_up(server_client), 30, "the worker did not catch up")

    try:
        feed(parts[0])
        wait_for_app(base, app, tmp_path / "app.log")
        browser.get(f"{base}/?token={WALL_TOKEN}")
        browser.execute_script("window.notReloaded = true;")
        wait_until(lambda: live in badge(), 20, "the wall never showed LIVE")
        wait_until(lambda: received() == counted(server_client, reference, now), 20, "the wall never showed the figure")

        # Redis stops: the wall says so; Redis returns: LIVE again by itself, and new events arrive as ticks.
        redis_process.stop()
        wait_until(lambda: disconnected in badge(), RECOVERY_S, "the wall did not show DISCONNECTED without Redis")
        redis_process.start()
        wait_until(lambda: live in badge(), RECOVERY_S, "the wall did not recover after Redis returned")
        # Pub/sub keeps nothing: ticks count once the app has subscribed again (its own backoff, a few seconds).
        wait_until(lambda: _subscribers(server_client) > 0, 15, "the app did not subscribe again")
        feed(parts[1])
        expected = counted(server_client, reference, now)
        wait_until(lambda: received() == expected, 15, "the wall did not follow ticks after Redis returned")

        # The app stops: DISCONNECTED; events keep being counted meanwhile; the app returns: resynchronised.
        assert stop(app) in (0, -15)
        wait_until(lambda: disconnected in badge(), RECOVERY_S, "the wall did not show DISCONNECTED without the app")
        feed(parts[2])
        app = spawn(["wsgi.py"], tmp_path / "app.log", PORT=str(port), **env)
        wait_for_app(base, app, tmp_path / "app.log")
        expected = counted(server_client, reference, now)
        wait_until(lambda: live in badge(), RECOVERY_S, "the wall did not reconnect to the restarted app")
        wait_until(lambda: received() == expected, RECOVERY_S, "the wall did not resynchronise after reconnecting")
        assert browser.execute_script("return window.notReloaded === true;"), "the page was reloaded"

        # The live worker hangs: no cycle is published, the figures age, and past a minute the wall says so.
        worker.send_signal(signal.SIGSTOP)
        frozen_at = time.monotonic()
        append_events(server_client, KEYS, parts[3], cap=1_000_000)
        wait_until(lambda: stale in badge(), STALE_AFTER_S + 15, "the wall did not show STALE with the worker hung")
        assert time.monotonic() - frozen_at > STALE_AFTER_S - 5, "the wall showed STALE before its figures aged"
        # The last figures stay on screen (read at a province stop of the tour: a regency stop hides the tiles).
        wait_until(lambda: received() == expected, 2 * RECOVERY_S, "the wall lost its last figures")
        worker.send_signal(signal.SIGCONT)
        wait_until(lambda: caught_up(server_client), 30, "the worker did not catch up after resuming")
        expected = counted(server_client, reference, now)
        wait_until(lambda: live in badge() and received() == expected, RECOVERY_S, "the wall did not recover")
        print(f"wall: {len(events)} events in four parts, received today {expected} on the wall and the snapshot")
    finally:
        worker.send_signal(signal.SIGCONT)  # a stopped process would not act on SIGTERM
        stop(app)
        stop(worker)


def _subscribers(client) -> int:
    return dict(client.pubsub_numsub(SOCKETIO_CHANNEL)).get(SOCKETIO_CHANNEL, 0)
