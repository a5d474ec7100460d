"""In Chromium: a wall screen reports itself to `/ops` (its token, page, resolution, language, last push applied,
page age, memory); when its network link is cut, `/ops` raises "layar tidak merespons" with its name, and an
operator acknowledges it like any other alert."""

from __future__ import annotations

import json
from urllib.parse import urlparse

import pytest
from argon2 import PasswordHasher
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import store.access.accounts as auth
from dashboard.app import create_app
from dashboard.kit import ids
from store.contract.reference import load_reference
from store.contract.settings import Settings
from store.history.db import upgrade
from store.live.cycle import CycleRunner
from store.live.screens import ScreenRules
from store.live.state import LiveState
from tests.support.link import CuttableLink
from tests.support.wall import IdleLiveWorker, pattern_selector

pytestmark = pytest.mark.browser
WALL_TOKEN = "browser-screens-wall-token-0123456789"
ADMIN_PASSWORD = "browser-screens-admin-password"
SILENT_SECONDS = 5  # the least the setting allows


def test_a_wall_screen_cut_off_raises_an_alert_that_is_acknowledged(
    dash_duo,
    operator_browser,
    redis_client,
    redis_url,
    tmp_path,
    monkeypatch,
    request,
) -> None:
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    reference = load_reference("12")
    CycleRunner(LiveState(redis_client, reference)).publish()
    settings = Settings(
        redis_url=redis_url,
        database_url=f"sqlite:///{tmp_path / 'app.db'}",
        wall_tokens={WALL_TOKEN: "dinding-utama"},
        admin_password=ADMIN_PASSWORD,
        secret_key="browser-screens",
        screen_silent_seconds=SILENT_SECONDS,
    )
    upgrade(settings.sqlalchemy_url())
    dash_duo.start_server(create_app(settings, redis_client), navigate=False)
    base = dash_duo.server.url
    worker = IdleLiveWorker(redis_client, redis_url, reference, ScreenRules.from_settings(settings)).__enter__()
    request.addfinalizer(worker.__exit__)
    link = CuttableLink(("127.0.0.1", urlparse(base).port))
    request.addfinalizer(link.cut)

    # The wall screen reaches the app through the link; the operator directly.
    dash_duo.wait_for_page(url=f"http://127.0.0.1:{link.port}/?token={WALL_TOKEN}")
    dash_duo.wait_for_contains_text("#" + ids.WALL_BADGE, "LIVE", timeout=20)
    screen_id = dash_duo.driver.execute_script("return localStorage.getItem('scc-screen-id')")
    operator_browser.get(f"{base}/masuk?next=/ops")
    operator_browser.find_element(By.NAME, "username").send_keys("admin")
    operator_browser.find_element(By.NAME, "password").send_keys(ADMIN_PASSWORD)
    operator_browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait = WebDriverWait(operator_browser, 20)
    label = f"dinding-utama · {screen_id[:6]}"
    texts = wait.until(lambda d: _row_cells(d, ids.OPS_SCREENS, label))
    assert texts[0] == f"{label} (layar dinding)" and texts[1] == "/" and texts[3] == "ID", texts
    width, height = dash_duo.driver.execute_script("return [window.innerWidth, window.innerHeight]")
    assert texts[2].endswith(f"({width}×{height})"), texts
    seq = dash_duo.driver.execute_script("return window.sccPush.followed.seq")
    assert texts[4].startswith("#") and int(texts[4][1:].split(" ")[0]) <= seq, texts  # the push flow's number
    assert texts[6].endswith(" MB") and texts[7] == "✓ baik", texts  # Chromium tells its memory
    alert_button = pattern_selector({"type": ids.OPS_ACK_BTN, "alert": f"screen:{screen_id}"})
    # A healthy screen raises nothing. Under load the page can take longer than the setting's seconds to start,
    # and the alert that raises clears at the next operations run that finds the screen well: wait for that.
    WebDriverWait(operator_browser, SILENT_SECONDS + 15).until(
        lambda d: not d.find_elements(By.CSS_SELECTOR, alert_button)
    )

    # The cable is pulled: the screen is disconnected at once, and after the setting's seconds an alert.
    link.cut()
    wait.until(lambda d: "terputus" in " ".join(_row_cells(d, ids.OPS_SCREENS, label) or []))
    button = WebDriverWait(operator_browser, SILENT_SECONDS + 15).until(
        lambda d: d.find_element(By.CSS_SELECTOR, alert_button)
    )
    alerts = operator_browser.find_element(By.ID, ids.OPS_ALERTS).text
    assert f"{label}: layar tidak merespons (terputus; /)" in alerts
    button.click()
    wait.until(lambda d: "diakui admin" in " ".join(_row_cells(d, ids.OPS_ALERTS, label) or []))
    assert json.loads(redis_client.hget(worker.rollup.keys.alert_acks, f"screen:{screen_id}"))["by"] == "admin"


# The cells' texts of the first row of a table under `arguments[0]` that mentions `arguments[1]` (read at once: the
# tables are redrawn every few seconds).
ROW_CELLS = """
const row = [...document.querySelectorAll('#' + arguments[0] + ' tbody tr')]
  .find(tr => tr.innerText.includes(arguments[1]));
return row ? [...row.querySelectorAll('td')].map(td => td.innerText.trim()) : null;
"""


def _row_cells(driver, section: str, label: str) -> list[str] | None:
    return driver.execute_script(ROW_CELLS, section, label)
