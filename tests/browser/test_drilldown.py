"""In Chromium: an official clicks a regency on the wall and lands on its page, whose live figures are the
snapshot API's (and follow a pushed tick) and whose history is the archive's; a briefing of two regencies
renders and prints one A4 page per regency."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import store.access.accounts as auth
import store.history.queries as queries
from dashboard.app import create_app
from dashboard.i18n.formats import fmt_number
from dashboard.kit import ids
from store.access.accounts import create_user
from store.access.models import Role
from store.contract.calendar import WIB
from store.contract.events import to_record, validate_event
from store.contract.reference import load_reference
from store.contract.settings import Settings
from store.history.db import make_sessionmaker, upgrade
from store.live.cycle import CycleRunner
from store.live.state import LiveState
from tests.support.accessibility import serious_findings
from tests.support.texts import untranslated_keys
from tests.support.wall import SYNC_GET, push_cycle
from workers.archive import archive_batch

pytestmark = pytest.mark.browser
OFFICIAL, PASSWORD = "pejabat", "browser-drilldown-password"


def _events(now: datetime, code: str, first: int, count: int, resolved: int) -> list[dict]:
    """`count` requests received an hour ago in `code`, the first `resolved` of them resolved since."""
    events = []
    for n in range(first, first + count):
        base = {
            "type": "service_request",
            "request_id": f"r{n}",
            "regency_code": code,
            "category": "kesehatan",
            "channel": "web",
            "opd": "Dinas Kesehatan",
        }
        events.append(
            {**base, "event_id": f"e{n}a", "status": "received", "ts": (now - timedelta(hours=1)).isoformat()}
        )
        if n < first + resolved:
            events.append({**base, "event_id": f"e{n}b", "status": "resolved", "ts": now.isoformat()})
    return events


def _kpi(n: int, code: str, value: float, now: datetime) -> dict:
    return {
        "event_id": f"k{n}",
        "type": "kpi",
        "metric": "ispu",
        "regency_code": code,
        "value": value,
        "ts": now.isoformat(),
    }


def test_wall_to_regency_page_and_briefing(dash_duo, redis_client, redis_url, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    reference = load_reference("12")
    now = datetime.now(UTC).replace(microsecond=0)
    if (now - timedelta(hours=1)).astimezone(WIB).date() != now.astimezone(WIB).date():
        now += timedelta(hours=1, minutes=1)  # keep "received an hour ago" on today's WIB date
    raw = [
        *_events(now, "12.71", 0, 12, 5),
        *_events(now, "12.04", 100, 7, 3),
        _kpi(1, "12.71", 150, now),
        _kpi(2, "12.04", 60, now),
        _kpi(3, "12.75", 90, now),
    ]
    records = [to_record(validate_event(e, reference, now)) for e in raw]
    live = LiveState(redis_client, reference)
    live.apply(records, datetime.now(UTC))
    CycleRunner(live).publish()  # as the live worker does
    settings = Settings(redis_url=redis_url, database_url=f"sqlite:///{tmp_path / 'app.db'}", secret_key="drill")
    upgrade(settings.sqlalchemy_url())
    sessions = make_sessionmaker(settings.sqlalchemy_url())
    with sessions.begin() as session:
        archive_batch(session, records, reference)
        create_user(session, OFFICIAL, PASSWORD, Role.OFFICIAL)
    app = create_app(settings, redis_client, sessions)
    dash_duo.start_server(app, navigate=False)
    base, driver = dash_duo.server.url, dash_duo.driver

    driver.get(f"{base}/masuk?next=/")
    driver.find_element(By.NAME, "username").send_keys(OFFICIAL)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    dash_duo.wait_for_element(".map-svg .map-label", timeout=20)
    assert untranslated_keys(driver.find_element(By.TAG_NAME, "body").text) == []
    assert serious_findings(driver) == []
    # The map is laid out again when its panel settles: click Medan's marker that is there.
    WebDriverWait(driver, 10, ignored_exceptions=[StaleElementReferenceException]).until(
        lambda d: d.find_element(By.CSS_SELECTOR, '.map-svg .marker[data-code="12.71"]').click() or True
    )

    dash_duo.wait_for_contains_text("h1", "Kota Medan: riwayat layanan", timeout=20)
    assert driver.current_url == f"{base}/kabkota/12.71"
    dash_duo.wait_for_text_to_equal(_live("received_today"), "12", timeout=15)
    today = now.astimezone(WIB).date()
    with sessions() as session:
        archived = queries.summary(session, "12.71", today - timedelta(days=6), today, datetime.now(UTC))
    assert archived["received"] == 19 - 7 and archived["resolved"] == 5
    for tile, key in (("received", "received"), ("resolved", "resolved"), ("regency_open_now", "open")):
        assert dash_duo.find_element(_summary(tile)).text == fmt_number(archived[key], "id")
    dash_duo.wait_for_contains_text("#" + ids.REGENCY_KPI_TABLE, "3 dari 3", timeout=10)  # ISPU 150: worst of 3
    assert "Kritis" not in dash_duo.find_element("#" + ids.REGENCY_KPI_TABLE).text  # 150 is amber (100 to 200)
    assert untranslated_keys(driver.find_element(By.TAG_NAME, "body").text) == []
    assert serious_findings(driver) == []

    # The worker's push to the regency's room updates the live tiles without a reload.
    live.apply([to_record(validate_event(e, reference, now)) for e in _events(now, "12.71", 50, 3, 0)], now)
    push_cycle(redis_client, redis_url, live)
    dash_duo.wait_for_text_to_equal(_live("received_today"), "15", timeout=15)
    shown = {key: dash_duo.find_element(_live(key)).text for key in ("received_today", "resolved_today", "open")}
    assert dash_duo.get_logs() == []

    # The snapshot API, asked from the page with the official's session.
    api = json.loads(driver.execute_script(SYNC_GET, "/api/v1/snapshot/12.71"))
    assert shown == {key: fmt_number(api[key], "id") for key in shown}
    assert (api["received_today"], api["resolved_today"], api["open"]) == (15, 5, 10)

    driver.get(f"{base}/briefing?regencies=12.71,12.04&period=7d&lang=en")
    dash_duo.wait_for_element(".briefing-sheet[data-code='12.04']", timeout=20)
    overview = dash_duo.find_element(".briefing-overview").text
    assert "Kota Medan" in overview and "Kabupaten Nias" in overview and "Province median" in overview
    assert len(dash_duo.find_elements(".briefing-sheet")) == 2
    assert untranslated_keys(driver.find_element(By.TAG_NAME, "body").text) == []
    assert serious_findings(driver) == []
    assert dash_duo.get_logs() == []
    pdf = base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"])
    (tmp_path / "briefing.pdf").write_bytes(pdf)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 3  # the comparison, then one page per regency


def _live(key: str) -> str:
    return f"#{ids.REGENCY_LIVE} [data-key={key}]"


def _summary(key: str) -> str:
    return f"#{ids.REGENCY_SUMMARY} [data-key={key}]"
