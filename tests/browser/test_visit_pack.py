"""In Chromium: the visit pack of a regency, printed to PDF on A4 and rendered back with poppler's pdftoppm: the
comparison, where its requests wait, then one page per oldest open request; in the page's language."""

from __future__ import annotations

import base64
import re
import subprocess

import pytest
from selenium.webdriver.common.by import By

from tests.integration.test_request_search import EVENTS, NOW
from tests.support.accessibility import serious_findings
from tests.support.desk import archived_app, sign_in_as_admin
from tests.support.texts import english_months, untranslated_keys

pytestmark = pytest.mark.browser


def test_the_visit_pack_prints_on_a4(dash_duo, redis_client, redis_url, tmp_path, monkeypatch) -> None:
    app = archived_app(redis_client, redis_url, tmp_path, monkeypatch, EVENTS, NOW)
    dash_duo.start_server(app, navigate=False)
    driver = dash_duo.driver
    sign_in_as_admin(dash_duo, "/kabkota/12.71")
    dash_duo.wait_for_contains_text("h1", "Kota Medan: riwayat layanan", timeout=20)
    driver.find_element(By.PARTIAL_LINK_TEXT, "Paket kunjungan").click()  # one action from the regency page

    dash_duo.wait_for_contains_text("h1", "Paket kunjungan: Kota Medan", timeout=20)
    body = driver.find_element(By.TAG_NAME, "body").text
    assert "Dibanding median provinsi" in body
    # The oldest open request headed by its title, its number beneath.
    assert "Permohonan terbuka terlama: Air keruh di Jalan Sisingamangaraja\nPermohonan MDN-0002" in body
    assert untranslated_keys(body) == [] and english_months(body) == [] and serious_findings(driver) == []
    assert dash_duo.get_logs() == []

    pdf = base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"])
    path = tmp_path / "kunjungan.pdf"
    path.write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages >= 3  # the comparison, the waits, the open request's story
    sizes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)", pdf)
    assert {(round(float(w)), round(float(h))) for w, h in sizes} == {(595, 842)}  # A4 in points
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "page")], check=True, timeout=60)
    rendered = sorted(tmp_path.glob("page-*.png"))
    assert len(rendered) == pages and all(p.stat().st_size > 2000 for p in rendered)  # drawn, not blank
    assert b"Cetak" not in pdf  # the print button stays off the paper
