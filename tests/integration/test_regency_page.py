"""The regency drill-down page rendered from the SQL archive (layout function called in a request)."""

from __future__ import annotations

import json

import dash
import pytest

from dashboard.app import create_app
from dashboard.callbacks.regency import choose_range
from store.contract.events import to_record, validate_event
from store.contract.settings import Settings
from store.history.db import make_sessionmaker
from store.servers.redis_clients import connect
from tests.integration.test_history_queries import EVENTS, NOW
from tests.support.clock import freeze_clock
from workers.archive import archive_batch


@pytest.fixture
def app(redis_url, redis_client, db_url, reference, monkeypatch):
    freeze_clock(monkeypatch, NOW)
    sessions = make_sessionmaker(db_url)
    with sessions.begin() as session:
        archive_batch(session, [to_record(validate_event(e, reference, NOW)) for e in EVENTS], reference)
    settings = Settings(redis_url=redis_url, database_url=db_url, demo=False)
    app = create_app(settings, connect(redis_url), sessions)
    yield app
    sessions.kw["bind"].dispose()


def page_entry() -> dict:
    return next(p for p in dash.page_registry.values() if p.get("path_template") == "/kabkota/<code>")


def render(app, **query) -> str:
    with app.server.test_request_context("/kabkota/12.71"):
        return json.dumps(page_entry()["layout"](**query).to_plotly_json(), default=_plain, ensure_ascii=False)


def _plain(value):
    return value.to_plotly_json() if hasattr(value, "to_plotly_json") else str(value)


def test_the_week_of_a_regency(app) -> None:
    html = render(app, code="12.71", period="7d", lang="en")
    assert "Kota Medan: service history" in html
    assert "21-11-2026 – 27-11-2026" in html
    # The OPD table, in English number format, and the deadline watch with the overdue request first.
    assert "Dinas Kesehatan" in html and '"50%"' in html
    assert '"84.5 h"' in html  # the exact median of 1,500 and 8,640 minutes
    assert "325 h late" in html and "Waste and Cleanliness" in html
    assert html.index("325 h late") < html.index("h left")


def test_indonesian_is_the_default_and_numbers_use_its_format(app) -> None:
    html = render(app, code="12.71", period="7d")
    assert "Kota Medan: riwayat layanan" in html
    assert '"84,5 jam"' in html


def test_a_chosen_range_and_a_bad_one(app) -> None:
    assert "01-11-2026 – 27-11-2026" in render(app, code="12.71", period="range", start="2026-11-01", end="2026-12-31")
    assert "21-11-2026 – 27-11-2026" in render(app, code="12.71", period="range", start="nonsense")


def test_an_unknown_regency(app) -> None:
    assert "Kab/kota 99.99 tidak dikenal" in render(app, code="99.99")


def test_choosing_a_range_keeps_the_language() -> None:
    search = choose_range("2026-11-01", "2026-11-20T00:00:00", "?period=7d&lang=en")
    assert search == "?period=range&start=2026-11-01&end=2026-11-20&lang=en"
