"""The wall in a real browser, signed in with a wall token and under the Content-Security-Policy: all regencies
drawn, Socket.IO connected, a pushed tick updates it without a reload, and nothing in the console."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import socketio

from dashboard.app import create_app
from dashboard.push import PROVINCE_ROOM
from store.config import Settings
from store.db import upgrade
from store.events import to_record, validate_event
from store.live import LiveState

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


def live_reference():
    from store.reference import load_reference

    return load_reference("12")


def test_wall_renders_and_follows_ticks(dash_duo, redis_client, redis_url, tmp_path):
    live = LiveState(redis_client, live_reference())
    now = datetime.now(UTC)
    live.apply([_received(i, "12.71", now) for i in range(7)], now)
    settings = Settings(
        redis_url=redis_url, database_url=f"sqlite:///{tmp_path / 'app.db'}", wall_tokens={WALL_TOKEN: "main-wall"}
    )
    upgrade(settings.sqlalchemy_url())
    app = create_app(settings, redis_client)
    dash_duo.start_server(app, navigate=False)
    dash_duo.driver.get(dash_duo.server.url)
    assert "/masuk" in dash_duo.driver.current_url  # no token, no session: the sign-in page
    dash_duo.wait_for_page(url=f"{dash_duo.server.url}/?token={WALL_TOKEN}")
    assert "token=" not in dash_duo.driver.current_url

    dash_duo.wait_for_text_to_equal("#" + _tile_id("received_today"), "7", timeout=15)
    assert len(dash_duo.find_elements(".hex")) == 33
    dash_duo.wait_for_contains_text(".badge", "LIVE", timeout=15)

    live.apply([_received(i, "12.04", datetime.now(UTC)) for i in range(100, 1330)], now)
    # Workers emit through the Redis message queue, like this external emitter.
    emitter = socketio.RedisManager(redis_url, write_only=True)
    emitter.emit("tick", {"regencies": ["12.04"]}, room=PROVINCE_ROOM)
    dash_duo.wait_for_text_to_equal("#" + _tile_id("received_today"), "1.237", timeout=15)

    # The same numbers as the snapshot API the wall is built from.
    snapshot = live.snapshot()
    assert snapshot["totals"]["received_today"] == 1237
    assert dash_duo.get_logs() == []


def _tile_id(key: str) -> str:
    """CSS selector-safe id of a pattern-matching tile value, as Dash writes it into the page."""
    import json

    from dashboard import ids

    raw = json.dumps({"key": key, "type": ids.WALL_TILE_VALUE}, separators=(",", ":"))
    return "".join("\\" + ch if not ch.isalnum() and ch not in "-_" else ch for ch in raw)
