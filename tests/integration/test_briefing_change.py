"""The briefing's change since the period before: measured only where the archive holds that period, else said
so (a regency whose history began last week has no "+313" against nothing)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import dash
import pytest

from dashboard.app import create_app
from store.contract.calendar import WIB
from store.contract.events import to_record, validate_event
from store.contract.settings import Settings
from store.history.db import make_sessionmaker
from store.servers.redis_clients import connect
from tests.support.clock import freeze_clock
from workers.archive import archive_batch

NOW = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)  # Friday 27 November 2026, 13:00 WIB: the week is 21-27 November


def received(n: int, regency: str, day: int) -> dict:
    return {
        "event_id": f"b{n}",
        "type": "service_request",
        "request_id": f"br{n}",
        "regency_code": regency,
        "status": "received",
        "category": "kesehatan",
        "channel": "web",
        "opd": "Dinas Kesehatan",
        "ts": datetime(2026, 11, day, 10, 0, tzinfo=WIB).isoformat(),
    }


@pytest.fixture
def app(redis_url, redis_client, db_url, reference, monkeypatch):
    freeze_clock(monkeypatch, NOW)
    # Kota Medan reports since 10 November: 2 requests the week before (13 and 18 November), 5 this week.
    # Kabupaten Nias since 25 November: 3 requests this week, nothing archived before.
    events = [received(n, "12.71", day) for n, day in enumerate((10, 18, 22, 23, 24, 25, 26))]
    events += [received(100 + n, "12.04", 25) for n in range(3)]
    sessions = make_sessionmaker(db_url)
    with sessions.begin() as session:
        archive_batch(session, [to_record(validate_event(e, reference, NOW)) for e in events], reference)
    yield create_app(Settings(redis_url=redis_url, database_url=db_url, demo=False), connect(redis_url), sessions)
    sessions.kw["bind"].dispose()


def _sheets(app, lang: str) -> dict[str, str]:
    """Each regency's printed sheet of the week's briefing of Kota Medan and Kabupaten Nias, as text."""
    page = next(p for p in dash.page_registry.values() if p.get("path") == "/briefing")
    with app.server.test_request_context("/briefing"):
        tree = page["layout"](regencies="12.71,12.04", period="7d", lang=lang).to_plotly_json()
    sheets: dict[str, str] = {}

    def walk(node) -> None:
        if isinstance(node, dict) and "props" in node:
            props = node["props"]
            if props.get("className", "").endswith("briefing-sheet"):
                sheets[props["data-code"]] = json.dumps(props["children"], default=_plain, ensure_ascii=False)
                return
            walk(props.get("children"))
        elif isinstance(node, list | tuple):
            for child in node:
                walk(child)
        elif hasattr(node, "to_plotly_json"):
            walk(node.to_plotly_json())

    walk(tree)
    return sheets


def _plain(component):
    return component.to_plotly_json()


def test_the_change_is_measured_only_against_a_period_the_archive_holds(app):
    sheets = _sheets(app, "id")
    # Medan: 5 received this week against 1 the week before (14-20 November holds the 18th).
    assert "Perubahan dihitung terhadap 14-11-2026 – 20-11-2026" in sheets["12.71"]
    assert '"+4"' in sheets["12.71"]
    # Nias: its history begins on 25 November, inside this week: no change, and the sheet says why.
    nias = sheets["12.04"]
    assert "riwayatnya baru mulai 25-11-2026" in nias and '"+3"' not in nias
    assert "No change shown: its history begins on 25-11-2026" in _sheets(app, "en")["12.04"]
