"""The desk pages' browser tests' common ground: the real app on a fresh SQLite archive holding known events, and
`admin` signed in (with cheap password hashing: argon2's defaults take half a second a hash here)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import dash
import pytest
import redis
from argon2 import PasswordHasher
from selenium.webdriver.common.by import By

import store.access.accounts as auth
from dashboard.app import create_app
from store.contract.events import to_record, validate_event
from store.contract.reference import load_reference
from store.contract.settings import Settings
from store.history.db import make_sessionmaker, upgrade
from tests.support.clock import freeze_clock
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
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    reference = load_reference("12")
    settings = Settings(
        redis_url=redis_url,
        database_url=f"sqlite:///{tmp_path / 'app.db'}",
        admin_password=ADMIN_PASSWORD,
        secret_key="browser-desk",
    )
    upgrade(settings.sqlalchemy_url())
    sessions = make_sessionmaker(settings.sqlalchemy_url())
    with sessions.begin() as session:
        archive_batch(session, [to_record(validate_event(e, reference, now)) for e in events], reference)
    return create_app(settings, redis_client, sessions)


def sign_in_as_admin(dash_duo, start: str) -> None:
    """Sign the test's browser in as `admin` through the sign-in page, on its way to `start`."""
    driver = dash_duo.driver
    driver.get(f"{dash_duo.server.url}/masuk?next={start}")
    driver.find_element(By.NAME, "username").send_keys("admin")
    driver.find_element(By.NAME, "password").send_keys(ADMIN_PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
