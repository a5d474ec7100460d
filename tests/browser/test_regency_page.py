"""In Chromium: an official opens a regency's history page and sees the archive's figures, without errors."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from dashboard.kit import ids
from tests.integration.test_history_queries import EVENTS, NOW
from tests.support.accessibility import serious_findings
from tests.support.desk import archived_app, sign_in_as_admin
from tests.support.texts import english_months, untranslated_keys

pytestmark = pytest.mark.browser
TICKS = "return Array.from(document.querySelectorAll('#' + arguments[0] + ' .xtick text')).map(e => e.textContent)"


def test_regency_history_page(dash_duo, redis_client, redis_url, tmp_path, monkeypatch) -> None:
    app = archived_app(redis_client, redis_url, tmp_path, monkeypatch, EVENTS, NOW)
    dash_duo.start_server(app, navigate=False)
    base = dash_duo.server.url
    sign_in_as_admin(dash_duo, "/kabkota/12.71?period=7d")

    dash_duo.wait_for_contains_text("h1", "Kota Medan: riwayat layanan", timeout=20)
    dash_duo.wait_for_contains_text("#" + ids.REGENCY_OPD_TABLE, "Dinas Kesehatan", timeout=10)
    assert "84,5 jam" in dash_duo.find_element("#" + ids.REGENCY_OPD_TABLE).text
    assert "lewat 325 jam" in dash_duo.find_element("#" + ids.REGENCY_WATCH_TABLE).text
    dash_duo.wait_for_element("#" + ids.REGENCY_TREND_GRAPH + " .main-svg", timeout=10)
    assert dash_duo.get_logs() == []

    # Over 90 days the date axis names months: Plotly's own texts in Indonesian (served by the app), days first.
    dash_duo.driver.get(f"{base}/kabkota/12.71?period=90d")
    dash_duo.wait_for_element("#" + ids.REGENCY_TREND_GRAPH + " .xtick text", timeout=20)
    ticks = dash_duo.driver.execute_script(TICKS, ids.REGENCY_TREND_GRAPH)
    assert "4 Okt" in ticks and english_months(" ".join(ticks)) == []
    body = dash_duo.driver.find_element(By.TAG_NAME, "body").text
    assert english_months(body) == [] and untranslated_keys(body) == [] and serious_findings(dash_duo.driver) == []
    assert "in_progress" not in body and "received" not in body  # statuses in the page's language
    dash_duo.driver.get(f"{base}/kabkota/12.71?period=90d&lang=en")
    dash_duo.wait_for_element("#" + ids.REGENCY_TREND_GRAPH + " .xtick text", timeout=20)
    assert "4 Oct" in dash_duo.driver.execute_script(TICKS, ids.REGENCY_TREND_GRAPH)
    assert serious_findings(dash_duo.driver) == []
    assert dash_duo.get_logs() == []
