"""The wall's tour in Chromium: the overview first shows the ranking's first page (rank 1 on top), and a metric
chosen at the wall brings that page back at once, though the touch rests the tour."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.app import create_app
from dashboard.kit import ids
from store.live.cycle import CycleRunner
from store.live.state import LiveState
from tests.browser.test_wall import WALL_TOKEN, _received, live_reference, wall_settings

pytestmark = pytest.mark.browser

# The tour's state as the page shows it: whether a regency is in focus, the active panel and its title.
TOUR_STATE = f"""
const root = document.getElementById('{ids.WALL_ROOT}');
if (!root) return {{focus: true, index: -1, title: '', first: ''}};
const steps = [...document.querySelectorAll('.tour-step')];
const index = steps.findIndex(s => s.classList.contains('active'));
const title = index >= 0 ? steps[index].querySelector('.panel-title') : null;
const first = index >= 0 ? steps[index].querySelector('.rank-row .rank-name') : null;
return {{
  focus: root.classList.contains('focus-mode'),
  index: index, title: title ? title.textContent : '', first: first ? first.textContent : '',
}};
"""


def _overview(driver, timeout: float = 15) -> dict:
    """The tour's state the first time the province overview shows a titled panel."""

    def seen(_driver):
        state = driver.execute_script(TOUR_STATE)
        return state if not state["focus"] and state["title"] else None

    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(seen)


def test_the_tour_begins_at_rank_1_and_a_new_metric_brings_it_back(dash_duo, redis_client, redis_url, tmp_path):
    reference = live_reference()
    live = LiveState(redis_client, reference)
    now = datetime.now(UTC)
    # Twelve regencies with 1..12 open requests: the twelfth by code has the most.
    codes = sorted(reference.regencies)[:12]
    records = [_received(1000 * n + i, code, now) for n, code in enumerate(codes) for i in range(n + 1)]
    live.apply(records, now)
    CycleRunner(live).publish()
    settings = wall_settings(redis_url, tmp_path).model_copy(update={"tour_seconds": 3})
    dash_duo.start_server(create_app(settings, redis_client), navigate=False)
    dash_duo.wait_for_page(url=f"{dash_duo.server.url}/?token={WALL_TOKEN}")
    driver = dash_duo.driver

    first = _overview(driver)
    assert first["index"] == 0 and first["title"].startswith("Peringkat 1–"), first

    # Every province stop moves the overview on: wait until it has left the first panel.
    WebDriverWait(driver, 15, poll_frequency=0.1).until(lambda d: d.execute_script(TOUR_STATE)["index"] != 0)
    # An operator picks the open requests (a touch, which rests the tour): their ranking from rank 1, at once.
    driver.execute_script(
        "document.dispatchEvent(new MouseEvent('mousedown'));"
        f"window.dash_clientside.set_props('{ids.WALL_METRIC_DROPDOWN}', {{value: 'open'}});"
    )
    chosen = _overview(driver, timeout=2)
    assert chosen["index"] == 0 and chosen["title"].startswith("Peringkat 1–"), chosen
    assert "terbuka" in chosen["title"].lower(), chosen
    assert chosen["first"] and reference.regencies[codes[-1]].name.endswith(chosen["first"])  # the wall's short name
    assert dash_duo.get_logs() == []
