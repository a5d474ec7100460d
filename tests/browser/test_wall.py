"""The wall in a real browser, signed in with a wall token and under the Content-Security-Policy: all regencies
drawn, Socket.IO connected, a pushed tick updates it without a reload, and nothing in the console; a burst of
ticks during a slow refresh gives one refresh at a time, and the last tick is not lost; an answer Dash does not
settle still opens the tick gate."""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime, timedelta

import dash
import flask
import pytest
import socketio

from dashboard import ids
from dashboard.app import create_app
from dashboard.callbacks import wall as wall_callbacks
from dashboard.push import PROVINCE_ROOM
from store.calendar import WIB
from store.config import Settings
from store.cycle import CycleRunner
from store.db import upgrade
from store.events import to_record, validate_event
from store.live import LiveState
from tests.support.wall import tile_id

pytestmark = pytest.mark.browser
WALL_TOKEN = "browser-wall-token-0123456789abcdef"


def _received(n: int, code: str, now: datetime) -> str:
    event = {
        "event_id": f"e{n}",
        "type": "service_request",
        "request_id": f"r{n}",
        "regency_code": code,
        "status": "received",
        "category": "kesehatan",
        "channel": "web",
        "opd": "Dinas Kesehatan",
        "ts": now.isoformat(),
    }
    return to_record(validate_event(event, live_reference(), now))


def wall_settings(redis_url: str, tmp_path) -> Settings:
    """Settings with the wall token, on a migrated SQLite database in `tmp_path`."""
    settings = Settings(
        redis_url=redis_url, database_url=f"sqlite:///{tmp_path / 'app.db'}", wall_tokens={WALL_TOKEN: "main-wall"}
    )
    upgrade(settings.sqlalchemy_url())
    return settings


def live_reference():
    from store.reference import load_reference

    return load_reference("12")


def test_wall_renders_and_follows_ticks(dash_duo, redis_client, redis_url, tmp_path):
    live = LiveState(redis_client, live_reference())
    now = datetime.now(UTC)
    live.apply([_received(i, "12.71", now) for i in range(7)], now)
    CycleRunner(live).publish()  # as the live worker does before each tick
    settings = wall_settings(redis_url, tmp_path)
    app = create_app(settings, redis_client)
    dash_duo.start_server(app, navigate=False)
    dash_duo.driver.get(dash_duo.server.url)
    assert "/masuk" in dash_duo.driver.current_url  # no token, no session: the sign-in page
    dash_duo.wait_for_page(url=f"{dash_duo.server.url}/?token={WALL_TOKEN}")
    assert "token=" not in dash_duo.driver.current_url

    dash_duo.wait_for_text_to_equal("#" + tile_id("received_today"), "7", timeout=15)
    assert len(dash_duo.find_elements(".hex")) == 33
    dash_duo.wait_for_contains_text(".badge", "LIVE", timeout=15)

    live.apply([_received(i, "12.04", datetime.now(UTC)) for i in range(100, 1330)], now)
    CycleRunner(live).publish()
    # Workers emit through the Redis message queue, like this external emitter.
    emitter = socketio.RedisManager(redis_url, write_only=True)
    emitter.emit("tick", {"regencies": ["12.04"]}, room=PROVINCE_ROOM)
    dash_duo.wait_for_text_to_equal("#" + tile_id("received_today"), "1.237", timeout=15)

    # The same numbers as the snapshot API the wall is built from.
    snapshot = live.snapshot()
    assert snapshot["totals"]["received_today"] == 1237
    assert dash_duo.get_logs() == []


def test_ticks_during_a_refresh_wait_for_it(dash_duo, redis_client, redis_url, tmp_path, monkeypatch):
    live = LiveState(redis_client, live_reference())
    now = datetime.now(UTC)
    live.apply([_received(i, "12.71", now) for i in range(3)], now)
    cycles = CycleRunner(live)
    cycles.publish()
    settings = wall_settings(redis_url, tmp_path)
    app = create_app(settings, redis_client)
    wall_page = next(page for page in dash.page_registry.values() if page["path"] == "/")
    monkeypatch.setattr(sys.modules[wall_page["module"]], "SYNC_MS", 600_000)  # only ticks refresh in this test
    running = {"now": 0, "most": 0, "calls": 0}

    def slow_refresh() -> None:  # every refresh takes 0.4 s: ticks arrive faster than refreshes end
        body = flask.request.get_json(silent=True) if flask.request.path.endswith("_dash-update-component") else None
        if body and f"{ids.WALL_ASOF_STORE}.data" in body["output"]:
            flask.g.wall_refresh = True
            running["now"] += 1
            running["calls"] += 1
            running["most"] = max(running["most"], running["now"])
            time.sleep(0.4)

    def refresh_ended(_error: BaseException | None) -> None:
        if flask.g.get("wall_refresh"):
            running["now"] -= 1

    app.server.before_request_funcs.setdefault(None, []).insert(0, slow_refresh)
    app.server.teardown_request(refresh_ended)
    dash_duo.start_server(app, navigate=False)
    dash_duo.wait_for_page(url=f"{dash_duo.server.url}/?token={WALL_TOKEN}")
    dash_duo.wait_for_text_to_equal("#" + tile_id("received_today"), "3", timeout=15)
    dash_duo.wait_for_contains_text(".badge", "LIVE", timeout=15)
    time.sleep(1)  # the first refreshes are over
    running.update(most=0, calls=0)

    emitter = socketio.RedisManager(redis_url, write_only=True)
    for n in range(12):
        live.apply([_received(100 + n, "12.04", datetime.now(UTC))], now)
        cycles.publish()
        emitter.emit("tick", {"n": n, "regencies": ["12.04"]}, room=PROVINCE_ROOM)  # equal ticks are one
        time.sleep(0.05)
    dash_duo.wait_for_text_to_equal("#" + tile_id("received_today"), "15", timeout=15)
    assert running["most"] == 1
    assert 1 <= running["calls"] <= 6, running  # 12 ticks, not 12 refreshes
    assert dash_duo.get_logs() == []


def test_the_clock_and_the_figures_age_follow_the_servers_clock(
    dash_duo, redis_client, redis_url, tmp_path, monkeypatch
):
    # The server's clock is two hours behind this PC's: the wall must read the server's time and call its fresh
    # figures LIVE, not "stale for 120 minutes".
    behind = timedelta(hours=2)
    server_now = datetime.now(UTC) - behind
    live = LiveState(redis_client, live_reference())
    live.apply([_received(i, "12.71", server_now) for i in range(4)], server_now)
    CycleRunner(live).publish(server_now)
    monkeypatch.setattr(wall_callbacks, "server_time_ms", lambda: round((time.time() - behind.total_seconds()) * 1000))
    settings = wall_settings(redis_url, tmp_path)
    dash_duo.start_server(create_app(settings, redis_client), navigate=False)
    dash_duo.wait_for_page(url=f"{dash_duo.server.url}/?token={WALL_TOKEN}")
    dash_duo.wait_for_text_to_equal("#" + tile_id("received_today"), "4", timeout=15)
    dash_duo.wait_for_contains_text(".badge", "LIVE", timeout=5)
    shown = dash_duo.find_element("#" + ids.WALL_CLOCK).text
    expected = {(datetime.now(UTC) - behind + timedelta(seconds=s)).astimezone(WIB).strftime("%H:%M") for s in (0, 60)}
    assert shown[:5] in expected and shown.endswith("WIB"), (shown, expected)
    assert dash_duo.get_logs() == []


def test_the_tick_gate_opens_even_when_dash_does_not_settle_an_answer(dash_duo, redis_client, redis_url, tmp_path):
    """Dash applies some answers without running the callback that settles them (seen with two answers at once as
    a 4K wall opens): the clock settles them within a second, so the next tick is not held back for the gate's
    10 s timeout."""
    live = LiveState(redis_client, live_reference())
    now = datetime.now(UTC)
    live.apply([_received(i, "12.71", now) for i in range(5)], now)
    cycles = CycleRunner(live)
    cycles.publish()
    settings = wall_settings(redis_url, tmp_path)
    dash_duo.start_server(create_app(settings, redis_client), navigate=False)
    dash_duo.wait_for_page(url=f"{dash_duo.server.url}/?token={WALL_TOKEN}")
    dash_duo.wait_for_text_to_equal("#" + tile_id("received_today"), "5", timeout=15)
    dash_duo.wait_for_contains_text("#" + ids.WALL_TICKER, "Tidak ada peringatan aktif", timeout=5)
    dash_duo.wait_for_contains_text(".badge", "LIVE", timeout=15)
    time.sleep(1)  # the page's first answers are settled

    dash_duo.driver.execute_script("window.dash_clientside.wall.settle = function () {};")
    live.apply([_received(10 + i, "12.04", now) for i in range(3)], now)
    cycles.publish()
    emitter = socketio.RedisManager(redis_url, write_only=True)
    emitter.emit("tick", {"n": 1, "regencies": ["12.04"]}, room=PROVINCE_ROOM)
    dash_duo.wait_for_text_to_equal("#" + tile_id("received_today"), "8", timeout=5)
    dash_duo.wait_for_text_to_equal("#" + tile_id("open"), "8", timeout=1)
    # That answer was not settled, yet the next tick is let through within a second, not after the 10 s timeout.
    live.apply([_received(20 + i, "12.04", now) for i in range(2)], now)
    cycles.publish()
    emitter.emit("tick", {"n": 2, "regencies": ["12.04"]}, room=PROVINCE_ROOM)  # equal ticks are one
    dash_duo.wait_for_text_to_equal("#" + tile_id("received_today"), "10", timeout=5)
    assert dash_duo.get_logs() == []
