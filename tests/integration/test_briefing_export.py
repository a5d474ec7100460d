"""The briefing's CSV and Excel exports on the real app: an official gets `compare_regencies`'s figures."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from openpyxl import load_workbook

import store.access.accounts as auth
import store.history.queries as queries
from dashboard.app import create_app
from store.access.accounts import create_user
from store.access.models import Role
from store.contract.events import to_record, validate_event
from store.contract.reference import load_reference
from store.contract.settings import Settings
from store.history.db import make_sessionmaker, upgrade
from tests.integration.test_history_queries import EVENTS, NOW
from workers.archive import archive_batch

PASSWORD = "export-official-password"
QUERY = "regencies=12.71,12.04&period=range&start=2026-11-21&end=2026-11-27"


@pytest.fixture
def app(tmp_path, redis_client, redis_url, monkeypatch):
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    reference = load_reference("12")
    settings = Settings(redis_url=redis_url, database_url=f"sqlite:///{tmp_path / 'app.db'}", secret_key="export")
    upgrade(settings.sqlalchemy_url())
    sessions = make_sessionmaker(settings.sqlalchemy_url())
    with sessions.begin() as session:
        archive_batch(session, [to_record(validate_event(e, reference, NOW)) for e in EVENTS], reference)
        create_user(session, "pejabat", PASSWORD, Role.OFFICIAL)
    yield create_app(settings, redis_client, sessions), sessions, reference
    sessions.kw["bind"].dispose()


def _signed_in(app):
    client = app.server.test_client()
    page = client.get("/masuk").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert (
        client.post("/masuk", data={"csrf_token": csrf, "username": "pejabat", "password": PASSWORD}).status_code == 302
    )
    return client


def test_csv_and_excel_hold_the_compared_figures(app) -> None:
    """In the page's language and units: names, hours for durations (the page's minutes / 60, one decimal),
    shares to one decimal; Excel's columns as wide as their texts."""
    dash_app, sessions, reference = app
    with sessions() as session:
        expected = queries.compare_regencies(
            session, ["12.71", "12.04"], reference.regencies, NOW.date() - timedelta(days=6), NOW.date()
        )
    assert expected["regencies"]["12.71"]["resolved"] > 0
    client = _signed_in(dash_app)

    answer = client.get(f"/briefing/export.csv?{QUERY}")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))
    assert [r["Kode wilayah"] for r in rows] == ["12.71", "12.04", ""]
    assert [r["Wilayah"] for r in rows] == ["Kota Medan", "Kabupaten Nias", "Median provinsi"]
    for row, figures in zip(rows, [*expected["regencies"].values(), expected["province_median"]], strict=True):
        assert (row["Dari"], row["Sampai"]) == ("2026-11-21", "2026-11-27")
        assert int(row["Diterima"]) == figures["received"] and int(row["Selesai"]) == figures["resolved"]
        assert _number(row["Tepat waktu (%)"]) == _rounded(figures["within_deadline_pct"])
        assert _number(row["Median waktu selesai (jam)"]) == _rounded(figures["median_resolve_minutes"], 60)
        assert _number(row["Rata-rata waktu selesai (jam)"]) == _rounded(figures["mean_resolve_minutes"], 60)
    assert "Perubahan: Diterima" in rows[0] and "Permohonan terbuka tertua, diterima (WIB)" in rows[0]

    workbook = load_workbook(io.BytesIO(client.get(f"/briefing/export.xlsx?{QUERY}&lang=en").data))
    sheet = workbook.active
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert table[0][:6] == ["Area code", "Area", "From", "To", "Received", "Resolved"]
    assert "Median time to resolve (hours)" in table[0] and "Change: On time (percentage points)" in table[0]
    assert table[1][:2] == ["12.71", "Kota Medan"] and table[-1][1] == "Province median"
    assert sheet.freeze_panes == "A2"
    for column, header in zip("ABCDEF", table[0], strict=False):
        assert sheet.column_dimensions[column].width >= len(header)

    assert client.get("/briefing/export.csv?regencies=12.71").status_code == 400
    assert dash_app.server.test_client().get(f"/briefing/export.csv?{QUERY}").status_code == 401


def _number(text: str) -> float | None:
    return float(text) if text else None


def _rounded(value: float | None, per: int = 1) -> float | None:
    return None if value is None else round(value / per, 1)


def _in_jatim(event: dict) -> dict:
    """The same event in Jawa Timur: Kota Surabaya for Kota Medan, Kab. Kediri for Nias."""
    regency = {"12.71": "35.78", "12.04": "35.06"}[event["regency_code"]]
    return {**event, "regency_code": regency, "event_id": f"jt-{event['event_id']}"}


def test_the_national_briefing_compares_provinces_against_the_served_ones(tmp_path, redis_client, redis_url) -> None:
    settings = Settings(
        redis_url=redis_url,
        database_url=f"sqlite:///{tmp_path / 'app.db'}",
        secret_key="export",
        province="12",
        provinces=("12", "35"),
    )
    upgrade(settings.sqlalchemy_url())
    sessions = make_sessionmaker(settings.sqlalchemy_url())
    sumut, jatim = load_reference("12"), load_reference("35")
    with sessions.begin() as session:
        archive_batch(session, [to_record(validate_event(e, sumut, NOW)) for e in EVENTS], sumut)
        jatim_events = [_in_jatim(e) for e in EVENTS if e["regency_code"] == "12.71"]
        archive_batch(session, [to_record(validate_event(e, jatim, NOW)) for e in jatim_events], jatim)
        create_user(session, "pejabat", PASSWORD, Role.OFFICIAL)
        create_user(session, "pejabat-jatim", PASSWORD, Role.OFFICIAL, frozenset({"35"}))
        start = NOW.date() - timedelta(days=6)
        by_regency = queries.compare_regencies(session, ["12.71", "12.04"], sumut.regencies, start, NOW.date())
        medan = queries.compare_regencies(session, ["35.78", "12.71"], ["35.78", "12.71"], start, NOW.date())
    app = create_app(settings, redis_client, sessions)
    client = _signed_in(app)
    query = "regencies=12,35&period=range&start=2026-11-21&end=2026-11-27"

    answer = client.get(f"/nasional/briefing/export.csv?{query}")
    assert answer.status_code == 200
    rows = {r["Kode wilayah"]: r for r in csv.DictReader(io.StringIO(answer.get_data(as_text=True)))}
    assert list(rows) == ["12", "35", ""]
    assert rows["12"]["Wilayah"] == "Sumatera Utara" and rows[""]["Wilayah"] == "Median nasional"
    # A province's figures are its regencies' added up; Jawa Timur holds a copy of Kota Medan's.
    assert int(rows["12"]["Diterima"]) == sum(f["received"] for f in by_regency["regencies"].values())
    assert int(rows["35"]["Diterima"]) == medan["regencies"]["12.71"]["received"] > 0
    # The national median is over the two served provinces, not the 36 without history.
    assert float(rows[""]["Diterima"]) == (int(rows["12"]["Diterima"]) + int(rows["35"]["Diterima"])) / 2
    assert client.get(f"/nasional/briefing?{query}").status_code == 200

    # A province's official compares regencies of that province, never the nation.
    jatim_official = app.server.test_client()
    form = jatim_official.get("/masuk").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    jatim_official.post("/masuk", data={"csrf_token": csrf, "username": "pejabat-jatim", "password": PASSWORD})
    assert jatim_official.get(f"/nasional/briefing/export.csv?{query}").status_code == 403
    assert jatim_official.get("/p/35/briefing/export.csv?regencies=35.78,35.06&period=7d").status_code == 200
    sessions.kw["bind"].dispose()
