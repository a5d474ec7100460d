"""In Chromium: an official finds a request by a word of its title, reads its story (stages, the move between
agencies, the rework), goes back up the trail to its regency, and meets the choice when two regencies share a
number; in both languages, with no key shown untranslated."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.integration.test_request_search import EVENTS, NOW
from tests.support.accessibility import serious_findings
from tests.support.desk import archived_app, sign_in_as_admin
from tests.support.texts import english_months, untranslated_keys

pytestmark = pytest.mark.browser


def _body(dash_duo) -> str:
    return dash_duo.driver.find_element(By.TAG_NAME, "body").text


def test_find_a_request_read_its_story_and_go_back_up(dash_duo, redis_client, redis_url, tmp_path, monkeypatch):
    dash_duo.start_server(archived_app(redis_client, redis_url, tmp_path, monkeypatch, EVENTS, NOW), navigate=False)
    base, driver = dash_duo.server.url, dash_duo.driver
    sign_in_as_admin(dash_duo, "/cari")
    dash_duo.wait_for_contains_text("h1", "Cari permohonan", timeout=20)
    field = driver.find_element(By.NAME, "q")
    field.send_keys("berlubang")
    driver.find_element(By.CSS_SELECTOR, ".search-form button[type=submit]").click()
    dash_duo.wait_for_contains_text("main", "1 permohonan ditemukan", timeout=20)
    assert untranslated_keys(_body(dash_duo)) == [] and serious_findings(driver) == []
    driver.find_element(By.LINK_TEXT, "Jalan berlubang Jl. Gatot").click()

    dash_duo.wait_for_contains_text("h1", "Jalan berlubang Jl. Gatot", timeout=20)  # its title, not its number
    assert dash_duo.find_element(".request-number").text == "Permohonan MDN-0001"
    assert driver.title == "Permohonan"
    body = _body(dash_duo)
    assert "Dinas PUPR → Dinas Perhubungan" in body  # the move between agencies
    assert "Kembali ke tahap Dikerjakan" in body  # reopened after "resolved"
    assert "Selesai" in body and "in_progress" not in body  # statuses in the page's language
    assert len(driver.find_elements(By.CSS_SELECTOR, ".request-page table tbody tr")) == 6
    assert untranslated_keys(body) == [] and serious_findings(driver) == []
    assert dash_duo.get_logs() == []
    driver.find_element(By.CSS_SELECTOR, ".breadcrumbs").find_element(By.LINK_TEXT, "Kota Medan").click()
    dash_duo.wait_for_contains_text("h1", "Kota Medan: riwayat layanan", timeout=20)
    driver.find_element(By.LINK_TEXT, "Di mana permohonan menunggu").click()  # where this regency's requests wait
    dash_duo.wait_for_contains_text("h1", "Di mana permohonan menunggu: Kota Medan", timeout=20)
    body = _body(dash_duo)
    assert "Dinas Perhubungan" in body and "Diteruskan" in body and "1 berpindah antar-OPD" in body
    assert untranslated_keys(body) == [] and english_months(body) == [] and serious_findings(driver) == []

    driver.get(f"{base}/permohonan/MDN-0002?lang=en")  # two regencies number a request MDN-0002
    dash_duo.wait_for_contains_text("main", "exists in more than one regency", timeout=20)
    choices = driver.find_elements(By.CSS_SELECTOR, "main > ul a")
    assert [a.text for a in choices] == ["Kabupaten Nias", "Kota Medan"]
    choices[1].click()
    dash_duo.wait_for_contains_text("h1", "Air keruh di Jalan Sisingamangaraja", timeout=20)
    assert dash_duo.find_element(".request-number").text == "Request MDN-0002"
    assert driver.title == "Request"  # the tab's title in the page's language too
    body = _body(dash_duo)
    assert "Air keruh di Jalan Sisingamangaraja" in body and "Open, still within its deadline." in body
    assert untranslated_keys(body) == [] and serious_findings(driver) == []
    assert dash_duo.get_logs() == []
