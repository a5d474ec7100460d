"""Where requests wait, as CSV and Excel on the real app: an official gets the analysis's figures, raw."""

from __future__ import annotations

import csv
import io

import pytest
from argon2 import PasswordHasher
from openpyxl import load_workbook

import store.access.accounts as auth
from dashboard.app import create_app
from store.access.accounts import create_user
from store.access.models import Role
from store.contract.events import to_record, validate_event
from store.contract.reference import load_reference
from store.contract.settings import Settings
from store.history.db import make_sessionmaker, upgrade
from tests.integration.test_request_search import EVENTS, NOW
from tests.support.clock import freeze_clock
from tests.support.security import sign_in
from workers.archive import archive_batch

PASSWORD = "handoff-official-password"


@pytest.fixture
def client(tmp_path, redis_client, redis_url, monkeypatch):
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    freeze_clock(monkeypatch, NOW)
    reference = load_reference("12")
    settings = Settings(redis_url=redis_url, database_url=f"sqlite:///{tmp_path / 'app.db'}", secret_key="handoff")
    upgrade(settings.sqlalchemy_url())
    sessions = make_sessionmaker(settings.sqlalchemy_url())
    with sessions.begin() as session:
        archive_batch(session, [to_record(validate_event(e, reference, NOW)) for e in EVENTS], reference)
        create_user(session, "pejabat", PASSWORD, Role.OFFICIAL)
    yield sign_in(create_app(settings, redis_client, sessions).server.test_client(), "pejabat", PASSWORD)
    sessions.kw["bind"].dispose()


def test_csv_and_excel_hold_the_waits(client) -> None:
    """In the page's language: the regency and the stages by name, working days to one decimal, as the page."""
    answer = client.get("/tunggu/export.csv?kab=12.71&period=7d&group=opd")
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    assert 'filename="tunggu-12.71-opd-2026-11-21-2026-11-27.csv"' in answer.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))
    dispatched = next(r for r in rows if r["OPD"] == "Dinas Perhubungan" and r["Tahap"] == "Diteruskan")
    assert dispatched["Median (hari kerja)"] == "1.3"  # Tue 09:00 -> Wed 15:00: 1.25, from its bucket
    assert [r["Tahap"] for r in rows if r["OPD"] == "Dinas PUPR"] == ["Diterima", "Diverifikasi"]  # lifecycle order
    assert {r["Wilayah"] for r in rows} == {"Kota Medan"}
    assert all(len(r["P90 (hari kerja)"].split(".")[-1]) == 1 for r in rows)

    book = load_workbook(io.BytesIO(client.get("/tunggu/export.xlsx?kab=12.71&period=7d&lang=en").data))
    sheet = book["tunggu"]
    header = [cell.value for cell in sheet[1]]
    assert header[:5] == ["Area", "From", "To", "Agency", "Stage"] and sheet.max_row == len(rows) + 1
    assert {sheet.cell(row, 5).value for row in range(2, sheet.max_row + 1)} >= {"Received", "Dispatched"}
    assert client.get("/tunggu/export.pdf").status_code == 403  # no rule: refused before any route
