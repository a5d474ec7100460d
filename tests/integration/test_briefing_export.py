"""The briefing's CSV and Excel exports on the real app: an official gets `compare_regencies`'s figures."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from openpyxl import load_workbook

from dashboard.app import create_app
from ingest.archive import archive_batch
from store import auth
from store import history_queries as queries
from store.auth import Role, create_user
from store.config import Settings
from store.db import make_sessionmaker, upgrade
from store.events import to_record, validate_event
from store.reference import load_reference
from tests.integration.test_history_queries import EVENTS, NOW

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
    assert [r["code"] for r in rows] == ["12.71", "12.04", "province_median"]
    fields = ("received", "resolved", "within_deadline_pct", "median_resolve_minutes", "mean_resolve_minutes")
    for row, figures in zip(rows, [*expected["regencies"].values(), expected["province_median"]], strict=True):
        assert (row["start"], row["end"]) == ("2026-11-21", "2026-11-27")
        assert {f: float(row[f]) if row[f] else None for f in fields} == {f: figures[f] for f in fields}

    workbook = load_workbook(io.BytesIO(client.get(f"/briefing/export.xlsx?{QUERY}").data))
    sheet = [list(r) for r in workbook.active.iter_rows(values_only=True)]
    assert sheet[1][4:] == [expected["regencies"]["12.71"][f] for f in fields]

    assert client.get("/briefing/export.csv?regencies=12.71").status_code == 400
    assert dash_app.server.test_client().get(f"/briefing/export.csv?{QUERY}").status_code == 401
