"""In Chromium, the shift handover of a deployment serving Sumatera Utara and Jawa Timur from one database: the
page counts Sumatera Utara's requests only, and lists only its regencies, by name."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from selenium.webdriver.common.by import By

from dashboard.app import create_app
from store.contract.calendar import WIB
from store.contract.events import to_record, validate_event
from store.contract.reference import load_reference
from store.history.db import make_sessionmaker
from store.live.cycle import CycleRunner
from store.live.state import LiveState
from tests.browser.test_responsive import RAW
from tests.support.clock import freeze_clock
from tests.support.desk import desk_settings, sign_in_as_admin
from tests.support.events import received
from workers.archive import archive_batch

pytestmark = pytest.mark.browser
NOW = datetime(2026, 3, 3, 10, 0, tzinfo=WIB)  # the day shift began at 07:00


def test_the_handover_counts_only_its_province(dash_duo, redis_client, redis_url, tmp_path, monkeypatch):
    freeze_clock(monkeypatch, NOW)
    settings = desk_settings(redis_url, tmp_path, monkeypatch).model_copy(update={"provinces": ("12", "35")})
    sessions = make_sessionmaker(settings.sqlalchemy_url())
    sumut, jatim = load_reference("12"), load_reference("35")
    earlier = NOW - timedelta(hours=1)
    medan = [to_record(validate_event(received(n, "12.71", earlier), sumut, NOW)) for n in range(3)]
    surabaya = [to_record(validate_event(received(100 + n, "35.78", earlier), jatim, NOW)) for n in range(5)]
    with sessions.begin() as session:
        archive_batch(session, medan, sumut)
        archive_batch(session, surabaya, jatim)
    live = LiveState(redis_client, sumut)
    live.apply(medan, NOW)
    CycleRunner(live).publish(NOW)
    dash_duo.start_server(create_app(settings, redis_client, sessions), navigate=False)

    sign_in_as_admin(dash_duo, "/serah-terima")
    dash_duo.wait_for_element(".handover-totals", timeout=20)
    totals = {
        box.find_element(By.CSS_SELECTOR, "div:last-child").text: box.find_element(By.CLASS_NAME, "handover-value").text
        for box in dash_duo.find_elements(".handover-total")
    }
    assert totals["Permohonan baru"] == "3", totals  # Medan's three, not Surabaya's five with them
    body = dash_duo.driver.find_element(By.TAG_NAME, "body").text
    assert "Kota Medan" in body
    assert "Surabaya" not in body and not RAW.search(body), body
