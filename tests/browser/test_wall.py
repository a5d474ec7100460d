"""The wall in a real browser, signed in with a wall token and under the Content-Security-Policy: all regencies
drawn, Socket.IO connected, the worker's pushes update it without a reload or a server call, and nothing in the
console; a wall that missed pushes catches up; the clock follows the server's."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import socketio

from dashboard.app import create_app, socketio_of
from dashboard.kit import ids
from dashboard.pages.wall.figures import METRICS
from dashboard.pages.wall.view import focus_view, metric_view, wall_view
from store.contract.calendar import WIB
from store.contract.events import to_record, validate_event
from store.contract.keys import Keys
from store.contract.rooms import socket_room
from store.contract.settings import Settings
from store.history.db import upgrade
from store.live.cycle import CycleRunner, published_cycle
from store.live.state import LiveState
from tests.support.events import received
from tests.support.wall import SYNC_GET, push_cycle, tile_id

pytestmark = pytest.mark.browser
WALL_TOKEN = "browser-wall-token-0123456789abcdef"
KEYS = Keys("12")


def _received(n: int, code: str, now: datetime) -> str:
    event = received(n, code, now)
    return to_record(validate_event(event, live_reference(), now))


def wall_settings(redis_url: str, tmp_path) -> Settings:
    """Settings with the wall token, on a migrated SQLite database in `tmp_path`."""
    settings = Settings(
        redis_url=redis_url, database_url=f"sqlite:///{tmp_path / 'app.db'}", wall_tokens={WALL_TOKEN: "main-wall"}
    )
    upgrade(settings.sqlalchemy_url())
    return settings


def live_reference():
    from store.contract.reference import load_reference

    return load_reference("12")


def test_wall_renders_and_follows_pushes(dash_duo, redis_client, redis_url, tmp_path):
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

    # Nobody watched the room before: the app rendered its model from the published cycle.
    dash_duo.wait_for_text_to_equal("#" + tile_id("received_today"), "7", timeout=15)
    dash_duo.wait_for_element(".map-svg .map-label", timeout=15)
    assert len(dash_duo.find_elements(".map-svg path.region")) == 33
    # Each regency named on the map, or left for the tour to name where there is no room near it.
    unnamed = dash_duo.driver.execute_async_script(
        "const done = arguments[arguments.length - 1]; wallMap.whenSettled(() => done(wallMap.plan.missing));"
    )
    assert len(dash_duo.find_elements(".map-svg .map-label")) + len(unnamed) == 33
    dash_duo.wait_for_contains_text(".badge", "LIVE", timeout=15)
    assert redis_client.zscore(KEYS.screens_watched, "province:id") > time.time()

    # The worker's pushes: a whole model (its first for the room), then patches.
    for n, code in enumerate(("12.04", "12.71")):
        live.apply([_received(100 + 1000 * n + i, code, datetime.now(UTC)) for i in range(615)], now)
        push_cycle(redis_client, redis_url, live)
    dash_duo.wait_for_text_to_equal("#" + tile_id("received_today"), "1.237", timeout=15)
    snapshot = live.snapshot()  # the same numbers as the snapshot API
    assert snapshot["totals"]["received_today"] == 1237
    # The push carries each metric's values; the page derives their texts, colours and bars by the server's rules.
    cycle = published_cycle(redis_client, KEYS)
    for metric in METRICS:
        view = metric_view(cycle.snapshot, live_reference(), "id", metric)
        looks = dash_duo.driver.execute_script(
            "const model = wall.follower.model;"
            "return looksOf(model.metrics[arguments[0]], arguments[0], wall.texts, model.names)",
            metric,
        )
        shown = {code: (c["text"], c["colour"], c["text_colour"], c["rank"]) for code, c in view["cells"].items()}
        derived = {code: (c["text"], c["colour"], c["text_colour"], c["rank"]) for code, c in looks["cells"].items()}
        assert derived == shown
        assert all(abs(looks["cells"][c]["width"] - 100 * cell["fraction"]) < 0.06 for c, cell in view["cells"].items())
        assert looks["high"] == view["legend"]["high"]
    # Today's counts by category and channel, ranked and drawn as the server's bars.
    view = wall_view(cycle.snapshot, cycle.hourly, live_reference(), "id", alerts=cycle.alerts)
    for part, names in (("categories", "category_names"), ("channels", "channel_names")):
        bars = dash_duo.driver.execute_script(
            f"return barsOf(wall.follower.model.{part}, wall.texts.{names}, wall.texts)"
        )
        assert bars == view[part] and bars
    # The focus tiles are written from the same values, as the server writes a tile.
    for code in ("12.71", "12.04"):
        tiles = dash_duo.driver.execute_script(
            "const model = wall.follower.model, code = arguments[0];"
            "return model.focus_labels.map(l => tileText(l[0], cellValue(model.metrics[l[0]], code), wall.texts))",
            code,
        )
        focus = focus_view(code, cycle.snapshot["regencies"][code], cycle.alerts, live_reference(), "id")
        assert tiles == [tile["text"] for tile in focus["tiles"]]
    assert dash_duo.get_logs() == []


def test_a_wall_that_missed_pushes_catches_up_without_a_reload(dash_duo, redis_client, redis_url, tmp_path):
    """Its socket dropped for a few seconds while the worker pushed: back, it gets the whole model at once; a
    patch that does not follow the last push it applied makes it fetch the whole model."""
    live = LiveState(redis_client, live_reference())
    now = datetime.now(UTC)
    live.apply([_received(i, "12.71", now) for i in range(3)], now)
    push_cycle(redis_client, redis_url, live)
    app = create_app(wall_settings(redis_url, tmp_path), redis_client)
    dash_duo.start_server(app, navigate=False)
    dash_duo.wait_for_page(url=f"{dash_duo.server.url}/?token={WALL_TOKEN}")
    dash_duo.wait_for_text_to_equal("#" + tile_id("received_today"), "3", timeout=15)
    dash_duo.wait_for_contains_text(".badge", "LIVE", timeout=15)
    dash_duo.driver.execute_script("window.sccMarker = 'same page';")

    driver = dash_duo.driver
    driver.execute_cdp_cmd("Network.enable", {})
    offline = {"offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0}
    server = socketio_of(app).server
    for sid in list(
        server.manager.rooms["/"][socket_room("12", "province:id")]
    ):  # the connection drops (closing waits for the
        eio_sid = server.manager.eio_sid_from_sid(sid, "/")  # client's next poll: not on this thread)...
        threading.Thread(target=server.eio.disconnect, args=(eio_sid,), daemon=True).start()
    time.sleep(0.2)
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", offline)  # ...and the page cannot connect again
    dash_duo.wait_for_contains_text(".badge", "TERPUTUS", timeout=15)
    for n in range(4):  # pushes the wall cannot hear
        live.apply([_received(100 + n, "12.04", datetime.now(UTC))], now)
        push_cycle(redis_client, redis_url, live)
        time.sleep(0.5)
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", {**offline, "offline": False})
    dash_duo.wait_for_text_to_equal("#" + tile_id("received_today"), "7", timeout=20)
    dash_duo.wait_for_contains_text(".badge", "LIVE", timeout=10)
    api = json.loads(driver.execute_script(SYNC_GET, "/api/v1/snapshot"))  # with the wall's own session
    assert api["totals"]["received_today"] == 7 and api["totals"]["open"] == 7
    assert dash_duo.find_element("#" + tile_id("open")).text == "7"

    # A patch out of sequence (as if one was lost on the way): the page asks for the whole model.
    live.apply([_received(200 + n, "12.04", datetime.now(UTC)) for n in range(5)], now)
    CycleRunner(live).publish()
    stored = json.loads(redis_client.get(KEYS.screen_model("province:id")))
    stored["seq"] += 5
    stored["model"]["tiles"]["received_today"] = "12"
    redis_client.set(KEYS.screen_model("province:id"), json.dumps(stored))
    gap = {k: stored[k] for k in ("room", "epoch", "served_at")}
    socketio.RedisManager(redis_url, write_only=True).emit(
        "view",
        {**gap, "seq": stored["seq"], "base": stored["seq"] - 1, "patch": {}},
        room=socket_room("12", "province:id"),
    )
    dash_duo.wait_for_text_to_equal("#" + tile_id("received_today"), "12", timeout=10)
    assert driver.execute_script("return window.sccMarker") == "same page"
    assert [entry for entry in dash_duo.get_logs() if "ERR_INTERNET_DISCONNECTED" not in entry["message"]] == []


def test_the_clock_and_the_figures_age_follow_the_servers_clock(dash_duo, redis_client, redis_url, tmp_path):
    # The server's clock is two hours behind this PC's: the wall must read the server's time and call its fresh
    # figures LIVE, not "stale for 120 minutes".
    behind = timedelta(hours=2)
    server_now = datetime.now(UTC) - behind
    live = LiveState(redis_client, live_reference())
    live.apply([_received(i, "12.71", server_now) for i in range(4)], server_now)
    CycleRunner(live).publish(server_now)
    settings = wall_settings(redis_url, tmp_path)
    dash_duo.start_server(create_app(settings, redis_client), navigate=False)
    dash_duo.wait_for_page(url=f"{dash_duo.server.url}/?token={WALL_TOKEN}")
    dash_duo.wait_for_text_to_equal("#" + tile_id("received_today"), "4", timeout=15)
    live.apply([_received(10, "12.71", server_now)], server_now)
    push_cycle(redis_client, redis_url, live, server_now, clock=lambda: time.time() - behind.total_seconds())
    dash_duo.wait_for_text_to_equal("#" + tile_id("received_today"), "5", timeout=15)
    dash_duo.wait_for_contains_text(".badge", "LIVE", timeout=5)
    shown = dash_duo.find_element("#" + ids.WALL_CLOCK).text
    # The clock drawn a moment before it is read here: at a minute's turn it may still show the last one.
    expected = {
        (datetime.now(UTC) - behind + timedelta(seconds=s)).astimezone(WIB).strftime("%H:%M") for s in (-60, 0, 60)
    }
    assert shown[:5] in expected and shown.endswith("WIB"), (shown, expected)
    assert dash_duo.get_logs() == []
