"""In Chromium, an official's task: "which regency has the most overdue requests right now? Open it." From the
wall, in at most four steps (counted): sign in, the wall's way in to the desk, the table already sorted by
overdue requests, its first regency. Any column sorts the table."""

from __future__ import annotations

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.kit import ids
from tests.support.accessibility import serious_findings
from tests.support.desk import ADMIN_PASSWORD, live_app
from tests.support.texts import untranslated_keys

pytestmark = pytest.mark.browser
# Overdue requests: Kabupaten Deli Serdang the most, then Kota Medan, then Kabupaten Nias.
OVERDUE = {"12.07": 9, "12.71": 6, "12.04": 2}


def _first_rows(driver, count: int = 3) -> list[str]:
    cells = f"document.querySelectorAll('#{ids.NOW_TABLE} tbody td:first-child')"
    return driver.execute_script(f"return [...{cells}].slice(0, {count}).map(c => c.innerText.trim())")


def _wait_first(driver, name: str) -> None:
    try:
        WebDriverWait(driver, 15).until(lambda d: _first_rows(d)[:1] == [name])
    except TimeoutException:
        raise AssertionError((_first_rows(driver), driver.find_element(By.TAG_NAME, "body").text[:500])) from None


def test_the_most_overdue_regency_is_found_and_opened_in_four_steps(
    dash_duo, redis_client, redis_url, tmp_path, monkeypatch
):
    dash_duo.start_server(live_app(redis_client, redis_url, tmp_path, monkeypatch, OVERDUE), navigate=False)
    driver, steps = dash_duo.driver, []

    driver.get(f"{dash_duo.server.url}/masuk?next=/")
    driver.find_element(By.NAME, "username").send_keys("admin")
    driver.find_element(By.NAME, "password").send_keys(ADMIN_PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    steps.append("sign in")
    dash_duo.wait_for_element(".wall-desk", timeout=20).click()
    steps.append("the wall's way in: the regencies now")
    dash_duo.wait_for_contains_text("h1", "Kab/kota sekarang", timeout=20)
    _wait_first(driver, "Kabupaten Deli Serdang")
    assert _first_rows(driver) == ["Kabupaten Deli Serdang", "Kota Medan", "Kabupaten Nias"]
    body = driver.find_element(By.TAG_NAME, "body").text
    assert "Terlambat" in body and "Per " in body and untranslated_keys(body) == []
    assert serious_findings(driver) == []
    driver.find_element(By.LINK_TEXT, "Kabupaten Deli Serdang").click()
    steps.append("open the first")
    dash_duo.wait_for_contains_text("h1", "Kabupaten Deli Serdang: riwayat layanan", timeout=20)
    assert len(steps) <= 4, steps

    # Any column sorts, its heading a link: the fewest overdue first with one click on the sorted column's heading;
    # the regencies without data stay last.
    driver.back()
    _wait_first(driver, "Kabupaten Deli Serdang")
    driver.find_element(By.PARTIAL_LINK_TEXT, "Terlambat ▼").click()
    WebDriverWait(driver, 15).until(lambda d: "dir=asc" in d.current_url)
    _wait_first(driver, "Kabupaten Nias")
    assert _first_rows(driver) == ["Kabupaten Nias", "Kota Medan", "Kabupaten Deli Serdang"]
    assert dash_duo.get_logs() == []
