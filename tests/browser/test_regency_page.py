"""In Chromium: an official opens a regency's history page and sees the archive's figures, without errors."""

from __future__ import annotations

import sys

import dash
import pytest
from argon2 import PasswordHasher
from selenium.webdriver.common.by import By

import store.access.accounts as auth
from dashboard.app import create_app
from dashboard.kit import ids
from store.contract.events import to_record, validate_event
from store.contract.reference import load_reference
from store.contract.settings import Settings
from store.history.db import make_sessionmaker, upgrade
from tests.integration.test_history_queries import EVENTS, NOW
from tests.support.accessibility import serious_findings
from tests.support.texts import english_months, untranslated_keys
from workers.archive import archive_batch

pytestmark = pytest.mark.browser
ADMIN_PASSWORD = "browser-regency-admin-password"
TICKS = "return Array.from(document.querySelectorAll('#' + arguments[0] + ' .xtick text')).map(e => e.textContent)"


def test_regency_history_page(dash_duo, redis_client, redis_url, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    reference = load_reference("12")
    settings = Settings(
        redis_url=redis_url,
        database_url=f"sqlite:///{tmp_path / 'app.db'}",
        admin_password=ADMIN_PASSWORD,
        secret_key="browser-regency",
    )
    upgrade(settings.sqlalchemy_url())
    sessions = make_sessionmaker(settings.sqlalchemy_url())
    with sessions.begin() as session:
        archive_batch(session, [to_record(validate_event(e, reference, NOW)) for e in EVENTS], reference)
    app = create_app(settings, redis_client, sessions)
    page = next(p for p in dash.page_registry.values() if p.get("path_template") == "/kabkota/<code>")
    monkeypatch.setattr(sys.modules[page["module"]], "_now", lambda: NOW)
    dash_duo.start_server(app, navigate=False)
    base = dash_duo.server.url

    dash_duo.driver.get(f"{base}/masuk?next=/kabkota/12.71?period=7d")
    dash_duo.driver.find_element(By.NAME, "username").send_keys("admin")
    dash_duo.driver.find_element(By.NAME, "password").send_keys(ADMIN_PASSWORD)
    dash_duo.driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()

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
