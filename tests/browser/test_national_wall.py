"""The national wall in a real browser: the 38 provinces on their map, the national totals from the provinces'
cycles pushed by the national worker, provinces not connected marked as such, and a province clicked on the map
opening that province's wall; a province's wall token cannot open it."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from dashboard.app import create_app
from store.contract.events import to_record, validate_event
from store.contract.reference import load_reference
from store.contract.settings import Settings
from store.history.db import upgrade
from store.live.cycle import CycleRunner
from store.live.national import national_reference
from store.live.state import LiveState
from tests.support.wall import tile_id
from workers.live import socketio_emitter
from workers.national import NationalRollup
from workers.screens import ScreenBroadcaster

pytestmark = pytest.mark.browser
NATIONAL_WALL = "national-wall-token-0123456789abcdef"
JATIM_WALL = "jatim-wall-token-0123456789abcdef"


def _publish(client, province: str, regency: str, count: int) -> None:
    reference = load_reference(province)
    now = datetime.now(UTC)
    events = [
        {
            "event_id": f"{regency}-{n}",
            "type": "service_request",
            "request_id": f"r{n}",
            "regency_code": regency,
            "status": "received",
            "category": "kesehatan",
            "channel": "web",
            "opd": "Dinas Kesehatan",
            "ts": now.isoformat(),
        }
        for n in range(count)
    ]
    live = LiveState(client, reference)
    live.apply([to_record(validate_event(e, reference, now)) for e in events], now)
    CycleRunner(live).publish(now)


def test_the_national_wall_shows_the_provinces_and_opens_a_province(dash_duo, redis_client, redis_url, tmp_path):
    settings = Settings(
        redis_url=redis_url,
        database_url=f"sqlite:///{tmp_path / 'app.db'}",
        province="12",
        provinces=("12", "35"),
        wall_tokens={NATIONAL_WALL: "jakarta-wall", JATIM_WALL: "surabaya-wall@35"},
    )
    upgrade(settings.sqlalchemy_url())
    _publish(redis_client, "12", "12.71", 4)
    _publish(redis_client, "35", "35.78", 6)
    screens = ScreenBroadcaster(redis_client, national_reference(), socketio_emitter(redis_url))
    rollup = NationalRollup(redis_client, screens.push)
    rollup.tick()
    app = create_app(settings, redis_client)
    dash_duo.start_server(app, navigate=False)
    base = dash_duo.server.url

    dash_duo.driver.get(f"{base}/nasional/?token={JATIM_WALL}")  # a province's screen: not the nation's wall
    dash_duo.wait_for_contains_text("body", "tidak berhak", timeout=10)

    dash_duo.driver.delete_all_cookies()
    dash_duo.wait_for_page(url=f"{base}/nasional/?token={NATIONAL_WALL}")
    dash_duo.wait_for_text_to_equal(".wall-title", "Pusat Komando Nasional", timeout=15)
    dash_duo.wait_for_text_to_equal("#" + tile_id("received_today"), "10", timeout=15)
    dash_duo.wait_for_element(".map-svg .map-label", timeout=15)
    assert len(dash_duo.find_elements(".map-svg path.region")) == 38
    labels = {e.text for e in dash_duo.find_elements(".map-svg .map-label")}
    assert {"JATIM", "SUMUT"} <= {word for label in labels for word in label.split()} or "Jawa Timur" in labels
    # The 36 provinces this deployment does not serve are drawn as no data, never as zero.
    hatched = dash_duo.driver.execute_script(
        "return [...document.querySelectorAll('.map-svg path.region')]"
        ".filter(p => (p.getAttribute('fill') || '').includes('url(')).length"
    )
    assert hatched == 36
    # A push that moves the figures (the national worker's next tick) reaches the open wall.
    _publish(redis_client, "35", "35.06", 5)
    deadline = time.monotonic() + 10
    while rollup.tick() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    dash_duo.wait_for_text_to_equal("#" + tile_id("received_today"), "15", timeout=15)

    dash_duo.driver.execute_script(
        "document.querySelector(\".map-svg path.region[data-code='35']\")"
        ".dispatchEvent(new MouseEvent('click', {bubbles: true}))"
    )
    dash_duo.wait_for_text_to_equal(".wall-title", "Pusat Komando Provinsi Jawa Timur", timeout=15)
    assert dash_duo.driver.current_url.startswith(f"{base}/p/35/")
    dash_duo.wait_for_text_to_equal("#" + tile_id("received_today"), "11", timeout=15)
