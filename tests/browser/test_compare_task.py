"""In Chromium, an official's task: "compare Kota Medan and Kabupaten Deli Serdang over 30 days, download Excel",
from Medan's page over 30 days, in at most four steps (counted): the page's compare link (the briefing with Medan
and the period chosen), open the picker, pick Deli Serdang (the briefing is complete and shown), Excel. The picker
offers no "select all" (a briefing takes 2 to 6 regencies)."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.integration.test_request_search import EVENTS, NOW
from tests.support.desk import archived_app, sign_in_as_admin

pytestmark = pytest.mark.browser
# The download's status and type, fetched with the page's session (the callback comes last).
STATUS = "const done = arguments[1]; fetch(arguments[0]).then(r => done([r.status, r.headers.get('content-type')]));"


def test_two_regencies_compared_over_30_days_and_downloaded_in_four_steps(
    dash_duo, redis_client, redis_url, tmp_path, monkeypatch
):
    dash_duo.start_server(archived_app(redis_client, redis_url, tmp_path, monkeypatch, EVENTS, NOW), navigate=False)
    driver, steps = dash_duo.driver, []
    sign_in_as_admin(dash_duo, "/kabkota/12.71?period=30d")
    dash_duo.wait_for_contains_text("h1", "Kota Medan", timeout=20)

    driver.find_element(By.LINK_TEXT, "Bandingkan dengan kab/kota lain").click()
    steps.append("compare")
    dash_duo.wait_for_element(".briefing-regencies", timeout=20).click()
    steps.append("open the picker")
    actions = dash_duo.wait_for_element(".dash-dropdown-actions", timeout=10)
    assert [b.text for b in actions.find_elements(By.TAG_NAME, "button") if b.is_displayed()] == ["Batalkan semua"]
    option = "//label[contains(@class, 'dash-dropdown-option')][normalize-space()='Kabupaten Deli Serdang']"
    driver.find_element(By.XPATH, option).click()
    steps.append("pick Deli Serdang")
    WebDriverWait(driver, 20).until(lambda d: "regencies=12.71%2C12.07" in d.current_url)
    dash_duo.wait_for_element(".briefing-sheet[data-code='12.07']", timeout=20)
    assert "period=30d" in driver.current_url
    excel = driver.find_element(By.LINK_TEXT, "Unduh Excel")
    href = excel.get_attribute("href")
    assert "regencies=12.71%2C12.07" in href and "period=30d" in href
    status, kind = driver.execute_async_script(STATUS, href)
    steps.append("Excel")
    assert status == 200 and kind.startswith("application/vnd.openxmlformats")
    assert len(steps) <= 4, steps
    assert dash_duo.get_logs() == []
