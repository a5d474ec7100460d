"""In Chromium at 1920, 768 and 390 px wide: every desk page fits the screen (nothing but a table's own scrolling
panel is wider than the screen) and its buttons and fields are touch-sized (44 px); and none shows a reader a raw
code or key: no regency code ("12.71"), no alert key ("kpi:12.02:harga_beras"), no catalogue key."""

from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.by import By

from tests.integration.test_request_search import EVENTS, NOW
from tests.support.desk import archived_app, sign_in_as_admin
from tests.support.texts import untranslated_keys

pytestmark = pytest.mark.browser
WIDTHS = (1920, 768, 390)
# Each page, and what shows it has drawn (the handover's digest needs a live worker this test does not run).
PAGES = {
    "/sekarang": "h1",
    "/cari?q=jalan": "h1",
    "/permohonan/MDN-0001?kab=12.71": "h1",
    "/kabkota/12.71": "h1",
    "/briefing?regencies=12.71,12.04": "h1",
    "/tunggu?kab=12.71": "h1",
    "/ops": "h1",
    "/serah-terima": ".handover-controls",
}
# What sticks out of the screen (outside a panel that scrolls by itself), and the controls under 44 px (a
# dropdown's own focus catcher is no control).
CHECK = """
const width = window.innerWidth;
const out = Array.from(document.querySelectorAll('body *')).filter(e => {
  const box = e.getBoundingClientRect();
  return box.width && box.right > width + 1 && !e.closest('.ops-section, table');
}).map(e => e.tagName.toLowerCase() + '.' + e.className);
const small = Array.from(document.querySelectorAll('button, input:not([type=hidden]), .ops-btn, .dash-dropdown'))
  .filter(e => e.offsetParent && !e.classList.contains('dash-dropdown-focus-target'))
  .filter(e => e.getBoundingClientRect().height < 43.5)
  .map(e => e.tagName.toLowerCase() + '.' + e.className);
return [document.documentElement.scrollWidth <= width, out.slice(0, 3), small.slice(0, 3)];
"""
# A Kemendagri regency code standing alone, or an alert's key (`store.live.alerts`): what a reader should never meet.
RAW = re.compile(r"(?<![\w.-])\d{2}\.\d{2}(?![\w.-])|\b(?:kpi|feed|overdue|backlog|screen):[\w.:]+")


def test_every_desk_page_fits_a_laptop_a_tablet_and_a_phone(dash_duo, redis_client, redis_url, tmp_path, monkeypatch):
    dash_duo.start_server(archived_app(redis_client, redis_url, tmp_path, monkeypatch, EVENTS, NOW), navigate=False)
    base, driver = dash_duo.server.url, dash_duo.driver
    sign_in_as_admin(dash_duo, "/cari")
    dash_duo.wait_for_element("h1", timeout=20)

    misfits = {}
    for width in WIDTHS:
        metrics = {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 800}
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
        for page, drawn in PAGES.items():
            driver.get(base + page)
            dash_duo.wait_for_element(".site-header", timeout=20)
            dash_duo.wait_for_element(drawn, timeout=20)
            fits, out, small = driver.execute_script(CHECK)
            if not fits or out or small:
                misfits[(width, page)] = (fits, out, small)
            if width == WIDTHS[0]:
                text = driver.find_element(By.TAG_NAME, "body").text
                raw = [m.group(0) for m in RAW.finditer(text)] + untranslated_keys(text)
                if raw:
                    misfits[(width, page, "raw")] = raw[:5]
    assert misfits == {}
    assert dash_duo.get_logs() == []
