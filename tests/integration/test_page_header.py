"""The header of the desk pages on the real app: each role is offered the pages it may open and no other, the
language switch keeps the page and its query, and signing out is there."""

from __future__ import annotations

import json
import re

import pytest

from store.access.models import Role
from tests.integration.test_page_parameters import _render
from tests.support.security import USER_PASSWORD, served_app, sign_in

pytestmark = pytest.mark.usefixtures("cheap_password_hashing")


@pytest.fixture
def signed_in(tmp_path, redis_url, redis_client):
    users = {"pejabat": Role.OFFICIAL, "operator1": Role.OPERATOR}
    app, sessions = served_app(tmp_path, redis_url, redis_client, users, secret_key="h")

    def client(username: str):
        return sign_in(app.server.test_client(), username, USER_PASSWORD)

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
