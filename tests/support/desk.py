"""The desk pages' browser tests' common ground: the real app on a fresh SQLite archive holding known events, or
with a published live cycle, and `admin` signed in (with cheap password hashing: argon2's defaults take half a
second a hash here)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dash
import pytest
import redis
from argon2 import PasswordHasher
from selenium.webdriver.common.by import By

import store.access.accounts as auth
from dashboard.app import create_app
from store.contract.events import to_record, validate_event
from store.contract.reference import Reference, load_reference
from store.contract.settings import Settings
from store.history.db import make_sessionmaker, upgrade
from store.live.cycle import CycleRunner
from store.live.state import LiveState
from tests.support.clock import freeze_clock
from tests.support.events import received
from workers.archive import archive_batch

ADMIN_PASSWORD = "browser-desk-admin-password"


def archived_app(
    redis_client: redis.Redis,
    redis_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    events: Sequence[dict],
    now: datetime,
) -> dash.Dash:
    """Sumatera Utara's app whose archive holds `events` (validated at `now`), with the clock frozen at `now`."""
    freeze_clock(monkeypatch, now)
    reference, settings = load_reference("12"), desk_settings(redis_url, tmp_path, monkeypatch)
    sessions = make_sessionmaker(settings.sqlalchemy_url())
    with sessions.begin() as session:
        archive_batch(session, [to_record(validate_event(e, reference, now)) for e in events], reference)
    return create_app(settings, redis_client, sessions)


def live_app(
    redis_client: redis.Redis, redis_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, overdue: dict[str, int]
) -> dash.Dash:
    """Sumatera Utara's app whose last published cycle has, in each regency of `overdue`, that many requests past
    their deadline now (the live worker's cycle, published once; nothing archived)."""
    reference, now = load_reference("12"), datetime.now(UTC)
    live = LiveState(redis_client, reference)
    codes = enumerate(overdue.items())
    live.apply(
        [overdue_request(1000 * n + i, code, now, reference) for n, (code, count) in codes for i in range(count)], now
    )
    CycleRunner(live).publish()
    return create_app(desk_settings(redis_url, tmp_path, monkeypatch), redis_client)


def overdue_request(n: int, code: str, now: datetime, reference: Reference) -> str:
    """The record of request `r<n>` in `code`, received 3 hours before `now` and due an hour before it."""
    event = received(n, code, now - timedelta(hours=3), sla_due=(now - timedelta(hours=1)).isoformat())
    return to_record(validate_event(event, reference, now))


def desk_settings(redis_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The desk tests' settings, on a migrated SQLite database, `admin` with cheap password hashing."""
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    settings = Settings(
        redis_url=redis_url,
        database_url=f"sqlite:///{tmp_path / 'app.db'}",
        admin_password=ADMIN_PASSWORD,
        secret_key="browser-desk",
    )
    upgrade(settings.sqlalchemy_url())
    return settings


def sign_in_as_admin(dash_duo, start: str) -> None:
    """Sign the test's browser in as `admin` through the sign-in page, on its way to `start`."""
    driver = dash_duo.driver
    driver.get(f"{dash_duo.server.url}/masuk?next={start}")
    driver.find_element(By.NAME, "username").send_keys("admin")
    driver.find_element(By.NAME, "password").send_keys(ADMIN_PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
