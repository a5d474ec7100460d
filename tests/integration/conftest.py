"""SQL fixtures: a fresh, migrated database per test (SQLite in tmp_path, or PostgreSQL when DATABASE_URL is set)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

import store.access.accounts as auth
from store.history.db import make_sessionmaker, upgrade


@pytest.fixture
def db_url(tmp_path) -> Iterator[str]:
    """URL of an empty database migrated to head.

    On PostgreSQL each test gets its own schema (via the connection's search_path), dropped afterwards,
    so tests never touch the data of a running system or of another test run.
    """
    url = os.environ.get("DATABASE_URL")
    if not url or make_url(url).get_backend_name() != "postgresql":
        url = f"sqlite:///{tmp_path / 'history.db'}"
        upgrade(url)
        yield url
        return
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    scoped_url = scoped.render_as_string(hide_password=False)
    try:
        upgrade(scoped_url)
        yield scoped_url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    """A session factory on the fresh database; the engine is disposed after the test."""
    factory = make_sessionmaker(db_url)
    yield factory
    factory.kw["bind"].dispose()


@pytest.fixture
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2's default parameters take half a second per hash here: right for sign-ins, too slow for tests.
    Modules that sign in use it with `pytestmark = pytest.mark.usefixtures("cheap_password_hashing")`."""
    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(auth, "_hasher", hasher)
    monkeypatch.setattr(auth, "_DUMMY_HASH", hasher.hash("dummy-password"))
