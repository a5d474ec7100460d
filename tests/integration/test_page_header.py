"""The header of the desk pages on the real app: each role is offered the pages it may open and no other, the
language switch keeps the page and its query, and signing out is there."""

from __future__ import annotations

import json
import re

import pytest

from store.access.accounts import create_user
from store.access.models import Role
from store.contract.settings import Settings
from store.history.db import make_sessionmaker, upgrade
from tests.integration.test_page_parameters import _render
from tests.support.security import sign_in
from wsgi import create_server

PASSWORD = "correct horse battery"
pytestmark = pytest.mark.usefixtures("cheap_password_hashing")


@pytest.fixture
def signed_in(tmp_path, redis_url, redis_client):
    settings = Settings(redis_url=redis_url, database_url=f"sqlite:///{tmp_path / 'app.db'}", secret_key="h")
    upgrade(settings.sqlalchemy_url())
    app = create_server(settings, redis_client)
    sessions = make_sessionmaker(settings.sqlalchemy_url())
    with sessions.begin() as db:
        create_user(db, "pejabat", PASSWORD, Role.OFFICIAL)
        create_user(db, "operator1", PASSWORD, Role.OPERATOR)

    def client(username: str):
        return sign_in(app.server.test_client(), username, PASSWORD)

    yield client
    sessions.kw["bind"].dispose()


def _links(response) -> set[str]:
    return set(re.findall(r'"href": "([^"]+)"', json.dumps(response.get_json())))


def test_each_role_is_offered_what_it_may_open(signed_in) -> None:
    official = _links(_render(signed_in("pejabat"), "/cari", "?q=jalan"))
    assert {"/", "/tunggu", "/briefing", "/serah-terima", "/keluar"} <= official and "/ops" not in official
    operator = _links(_render(signed_in("operator1"), "/cari", "?q=jalan"))
    assert "/ops" in operator


def test_the_language_switch_keeps_the_page_and_its_query(signed_in) -> None:
    links = _links(_render(signed_in("pejabat"), "/tunggu", "?kab=12.71&period=7d"))
    assert "/tunggu?kab=12.71&period=7d&lang=en" in links
    links = _links(_render(signed_in("pejabat"), "/tunggu", "?kab=12.71&lang=en"))
    assert "/tunggu?kab=12.71" in links and "/keluar?lang=en" in links
