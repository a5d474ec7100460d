"""In Chromium, /ops with many alerts: the table has its headers, narrows to one regency, and acknowledges every
waiting alert shown at once (one regency's, then the rest), in the operator's name, without a raw key."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.kit import ids
from store.contract.keys import Keys
from tests.support.accessibility import serious_findings
from tests.support.desk import live_app, sign_in_as_admin
from tests.support.texts import untranslated_keys

pytestmark = pytest.mark.browser
LATE = ("12.71", "12.04", "12.07")  # Kota Medan, Kabupaten Nias, Kabupaten Deli Serdang


def _rows(driver) -> list[str]:
    """The alerts table's rows as shown, read in one go (the table is redrawn every few seconds)."""
    rows = f"document.querySelectorAll('#{ids.OPS_ALERTS} tbody tr')"
    return driver.execute_script(f"return [...{rows}].map(row => row.innerText)")


def test_alerts_narrowed_to_a_regency_and_acknowledged_at_once(
    dash_duo, redis_client, redis_url, tmp_path, monkeypatch
):
    app = live_app(redis_client, redis_url, tmp_path, monkeypatch, dict.fromkeys(LATE, 25))
    dash_duo.start_server(app, navigate=False)
    driver = dash_duo.driver
    sign_in_as_admin(dash_duo, "/ops")
    dash_duo.wait_for_contains_text("#" + ids.OPS_ALERTS, "Deli Serdang", timeout=20)
    headers = [th.text for th in driver.find_elements(By.CSS_SELECTOR, f"#{ids.OPS_ALERTS} thead th")]
    assert headers == ["Tingkat", "Peringatan", "Sejak", "Tindakan"]
    assert len(_rows(driver)) == 3

    # Nias alone (the filter), then its waiting alerts acknowledged with one press.
    driver.execute_script(f"window.dash_clientside.set_props('{ids.OPS_ALERT_REGENCY}', {{value: '12.04'}});")
    WebDriverWait(driver, 10).until(lambda _: len(_rows(driver)) == 1)
    assert "Nias" in _rows(driver)[0]
    driver.find_element(By.ID, ids.OPS_ACK_ALL_BTN).click()
    dash_duo.wait_for_text_to_equal("#" + ids.OPS_ACK_RESULT, "1 peringatan diakui oleh admin", timeout=10)
    WebDriverWait(driver, 10).until(lambda _: "diakui admin" in _rows(driver)[0])

    # Every regency again: Nias acknowledged, the two others waiting first; then the rest at once.
    driver.execute_script(f"window.dash_clientside.set_props('{ids.OPS_ALERT_REGENCY}', {{value: null}});")
    WebDriverWait(driver, 10).until(lambda _: len(_rows(driver)) == 3)
    assert "diakui" not in _rows(driver)[0] and "Nias" in _rows(driver)[2]
    driver.find_element(By.ID, ids.OPS_ACK_ALL_BTN).click()
    dash_duo.wait_for_text_to_equal("#" + ids.OPS_ACK_RESULT, "2 peringatan diakui oleh admin", timeout=10)
    assert set(redis_client.hkeys(Keys("12").alert_acks)) == {f"overdue:{code}" for code in LATE}
    body = driver.find_element(By.TAG_NAME, "body").text
    assert "overdue:" not in body and untranslated_keys(body) == []
    assert serious_findings(driver) == []
    assert dash_duo.get_logs() == []
