"""No text on the wall is smaller than the legibility minimum for its viewing distance
(dashboard.pages.wall.legibility), measured in the browser on every visible text of the kiosk wall at 1920x1080, as
the tour shows each of its panels; and no tile label is cut short, in either language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dashboard.app import create_app
from dashboard.pages.wall.legibility import min_font_px
from store.contract.settings import Settings
from store.live.cycle import CycleRunner
from store.live.state import LiveState
from tests.browser.test_wall import WALL_TOKEN, _received, live_reference, wall_settings
from tests.support.wall import NEXT_FRAMES, SHOW_STEP, crowded_notices

pytestmark = pytest.mark.browser

# Every element with text of its own that is laid out and visible, HTML or SVG (the plots' labels).
SMALLEST_TEXTS = """
const found = [];
for (const el of document.querySelectorAll('body *')) {
  const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  if (!own || !el.getClientRects().length) continue;
  const style = getComputedStyle(el);
  if (style.visibility === 'hidden' || style.display === 'none' || parseFloat(style.opacity) === 0) continue;
  found.push([parseFloat(style.fontSize), el.textContent.trim().slice(0, 40)]);
}
return found.sort((a, b) => a[0] - b[0]).slice(0, 5);
"""


def _open_wall_at_its_resolution(dash_duo, settings: Settings, redis_client, query: str = "") -> None:
    """Serve the app and open the wall signed in, the page exactly as large as the wall's screen (a headless
    window's viewport is smaller than its size); wait until it is LIVE."""
    dash_duo.start_server(create_app(settings, redis_client), navigate=False)
    width, height = settings.wall_resolution
    metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
    dash_duo.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    dash_duo.wait_for_page(url=f"{dash_duo.server.url}/?token={WALL_TOKEN}{query}")
    dash_duo.wait_for_contains_text(".badge", "LIVE", timeout=15)


def test_no_text_below_the_minimum(dash_duo, redis_client, redis_url, tmp_path):
    now = datetime.now(UTC)
    live = LiveState(redis_client, live_reference())
    live.apply([_received(i, "12.71", now) for i in range(5)], now)
    crowded_notices(redis_client, live.reference, now)
    CycleRunner(live).publish()  # as the live worker does
    settings = wall_settings(redis_url, tmp_path)
    _open_wall_at_its_resolution(dash_duo, settings, redis_client)
    width, height = settings.wall_resolution
    assert dash_duo.driver.execute_script("return [innerWidth, innerHeight]") == [width, height]
    minimum = min_font_px(settings.wall_distance_m, settings.wall_diagonal_in, width, height)

    smallest = []
    steps = dash_duo.driver.execute_script("return document.querySelectorAll('.tour-step').length")
    for step in range(steps):  # each panel of the tour is measured while it is shown, the odd with a focus
        dash_duo.driver.execute_script(SHOW_STEP, step)
        dash_duo.driver.execute_async_script(NEXT_FRAMES)
        smallest += dash_duo.driver.execute_script(SMALLEST_TEXTS)
    assert smallest
    too_small = [(size, text) for size, text in smallest if size < minimum - 0.5]
    assert not too_small, f"texts under {minimum} px: {too_small}"
    assert dash_duo.get_logs() == []


# Tile labels wrap onto at most two lines and are cut after that: none may need more.
CUT_LABELS = """
return [...document.querySelectorAll('.tile-label')]
  .filter(el => el.getClientRects().length && el.scrollHeight > el.clientHeight + 1)
  .map(el => el.textContent);
"""


@pytest.mark.parametrize("lang", ["id", "en"])
def test_no_tile_label_is_cut(dash_duo, redis_client, redis_url, tmp_path, lang):
    live = LiveState(redis_client, live_reference())
    CycleRunner(live).publish()
    settings = wall_settings(redis_url, tmp_path)
    _open_wall_at_its_resolution(dash_duo, settings, redis_client, f"&lang={lang}")
    assert dash_duo.driver.execute_script(CUT_LABELS) == []
    assert dash_duo.get_logs() == []
