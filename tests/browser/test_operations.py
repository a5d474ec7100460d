"""In Chromium: an alert acknowledged on /ops by an operator in one browser session shows as acknowledged on
the wall of another session (pushed over Socket.IO), and a silent regency is grey "no data" on map and ranking."""

from __future__ import annotations

from datetime import UTC, datetime

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
from store.live.state import LiveState
from tests.support.accessibility import serious_findings
from tests.support.desk import overdue_request
from tests.support.texts import untranslated_keys
from tests.support.wall import IdleLiveWorker, pattern_selector

pytestmark = pytest.mark.browser
WALL_TOKEN = "browser-ops-wall-token-0123456789"
ADMIN_PASSWORD = "browser-ops-admin-password"


def test_ack_on_ops_reaches_the_wall_of_another_session_and_silent_is_grey(
    dash_duo, operator_browser, redis_client, redis_url, tmp_path, monkeypatch, request
) -> None:
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    reference = load_reference("12")
    now = datetime.now(UTC)
    # Medan: 25 requests past their deadline (a critical alert); every other regency never reported (silent).
    live = LiveState(redis_client, reference)
    live.apply([overdue_request(i, "12.71", now, reference) for i in range(25)], now)
    CycleRunner(live).publish()  # as the live worker does
    settings = Settings(
        redis_url=redis_url,
        database_url=f"sqlite:///{tmp_path / 'app.db'}",
        wall_tokens={WALL_TOKEN: "lobby"},
        admin_password=ADMIN_PASSWORD,
        secret_key="browser-ops",
    )
    upgrade(settings.sqlalchemy_url())
    app = create_app(settings, redis_client)
    dash_duo.start_server(app, navigate=False)
    base = dash_duo.server.url
    request.addfinalizer(IdleLiveWorker(redis_client, redis_url, reference).__enter__().__exit__)

    # Session 1: the wall screen, signed in by its token (hence a kiosk).
    dash_duo.wait_for_page(url=f"{base}/?token={WALL_TOKEN}")
    dash_duo.wait_for_contains_text("#" + ids.WALL_TICKER, "Kota Medan", timeout=20)
    ticker = dash_duo.find_element("#" + ids.WALL_TICKER)
    assert "Kritis" in ticker.text and "diakui" not in ticker.text
    # The regency in focus before the tour's first regency stop (hidden until then) is the one with the most
    # severe alert.
    focus = dash_duo.find_element("#" + ids.WALL_FOCUS)
    WebDriverWait(dash_duo.driver, 10).until(lambda _: "Kota Medan" in focus.get_attribute("textContent"))
    assert "25 terlambat" in focus.get_attribute("textContent")  # its overdue alert
    assert "kiosk" in dash_duo.find_element("#" + ids.WALL_ROOT).get_attribute("class")
    assert not dash_duo.find_element("." + "metric-dropdown").is_displayed()

    # The silent regency is hatched grey on the map and "tanpa data" in the ranking; Medan is coloured.
    nias = dash_duo.find_element('.map-svg path[data-code="12.04"]')
    medan = dash_duo.find_element('.map-svg path[data-code="12.71"]')
    WebDriverWait(dash_duo.driver, 15).until(lambda _: nias.get_attribute("fill") == "url(#wall-no-data)")
    assert medan.get_attribute("fill").startswith("#")
    values = dash_duo.driver.execute_script(  # the ranking page in sight; the others are drawn when shown
        "return [...document.querySelectorAll('.tour-step.active .rank-value')].map(e => e.textContent)"
    )
    assert len(values) >= 3 and values.count("tanpa data") >= len(values) - 1, values  # all silent but Medan
    silent = (
        "const model = wall.follower.model;"
        "return Object.keys(model.names).filter(code => model.metrics.overdue_per_100k.cells[code] == null)"
    )
    assert len(dash_duo.driver.execute_script(silent)) == 32

    # Session 2: an operator signs in and acknowledges Medan's overdue alert on /ops.
    operator_browser.get(f"{base}/masuk?next=/ops")
    operator_browser.find_element(By.NAME, "username").send_keys("admin")
    operator_browser.find_element(By.NAME, "password").send_keys(ADMIN_PASSWORD)
    operator_browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait = WebDriverWait(operator_browser, 20)
    button = wait.until(
        lambda d: d.find_element(By.CSS_SELECTOR, pattern_selector({"type": ids.OPS_ACK_BTN, "alert": "overdue:12.71"}))
    )
    button.click()
    wait.until(lambda d: "admin" in d.find_element(By.ID, ids.OPS_ACK_RESULT).text)
    wait.until(lambda d: "diakui admin" in d.find_element(By.ID, ids.OPS_ALERTS).text)
    assert untranslated_keys(operator_browser.find_element(By.TAG_NAME, "body").text) == []
    assert serious_findings(operator_browser) == []

    # Session 1 hears of it at once: the live worker hears the acknowledgement and pushes at once, well before
    # its next quiet-feed cycle.
    dash_duo.wait_for_contains_text("#" + ids.WALL_TICKER, "diakui", timeout=2)
    assert dash_duo.find_elements("#" + ids.WALL_TICKER + " .alert.acknowledged")
    assert dash_duo.get_logs() == []
