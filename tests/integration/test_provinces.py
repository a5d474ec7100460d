"""Several provinces on one deployment (`PROVINCES`), against the real app, real Redis and real SQLite: each
province at `/p/<code>/`, users and tokens held to their provinces, events routed to their province's stream."""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import dash
import pytest
import redis
import socketio
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from dashboard.app import socketio_of
from store.access.accounts import create_user
from store.access.admin import main as admin
from store.access.models import AuditLog, Role
from store.contract.keys import Keys
from store.contract.settings import Settings
from store.history.db import make_sessionmaker, upgrade
from tests.support.clock import freeze_clock
from wsgi import create_server

PASSWORD = "correct horse battery"
JATIM_WALL = "wall-token-of-surabaya-0123456789abcdef"
NATIONAL_WALL = "wall-token-of-jakarta-0123456789abcdef"
JATIM_INGEST = "ingest-token-of-surabaya-0123456789abcdef"

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 09:00 WIB, the events' time and the clock's

pytestmark = pytest.mark.usefixtures("cheap_password_hashing")


def _event(event_id: str, regency: str) -> dict[str, str]:
    return {
        "event_id": event_id,
        "type": "service_request",
        "request_id": event_id,
        "regency_code": regency,
        "status": "received",
        "category": "kesehatan",
        "channel": "app",
        "opd": "Dinas Kesehatan",
        "ts": NOW.isoformat(),
    }


@pytest.fixture
def settings(tmp_path, redis_url: str) -> Settings:
    return Settings(
        redis_url=redis_url,
        database_url=f"sqlite:///{tmp_path / 'app.db'}",
        secret_key="test-secret",
        province="12",
        provinces=("12", "35"),
        wall_tokens={JATIM_WALL: "surabaya-wall@35", NATIONAL_WALL: "jakarta-wall"},
        ingest_tokens={JATIM_INGEST: "surabaya-apps@35"},
    )


@pytest.fixture
def app(settings: Settings, redis_client: redis.Redis) -> Iterator[dash.Dash]:
    upgrade(settings.sqlalchemy_url())
    app = create_server(settings, redis_client)
    sessions = make_sessionmaker(settings.sqlalchemy_url())
    with sessions.begin() as db:
        create_user(db, "pejabat-jatim", PASSWORD, Role.OFFICIAL, frozenset({"35"}))
        create_user(db, "pejabat-pusat", PASSWORD, Role.OFFICIAL)
    yield app
    sessions.kw["bind"].dispose()


def _signed_in(app: dash.Dash, username: str) -> FlaskClient:
    client = app.server.test_client()
    page = client.get("/masuk").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"csrf_token": csrf, "username": username, "password": PASSWORD, "next": "/"}
    assert client.post("/masuk", data=form).status_code == 302
    return client


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_province_wall_token_reads_its_province_and_no_other(app) -> None:
    client = app.server.test_client()
    jatim = client.get("/p/35/api/v1/snapshot", headers=_bearer(JATIM_WALL))
    assert jatim.status_code == 200
    assert {code[:2] for code in jatim.get_json()["regencies"]} == {"35"}
    assert client.get("/p/12/api/v1/snapshot", headers=_bearer(JATIM_WALL)).status_code == 403
    assert client.get("/api/v1/snapshot", headers=_bearer(JATIM_WALL)).status_code == 403  # the home province
    national = client.get("/p/12/api/v1/snapshot", headers=_bearer(NATIONAL_WALL))
    assert national.status_code == 200 and {code[:2] for code in national.get_json()["regencies"]} == {"12"}
    assert client.get("/p/31/api/v1/snapshot", headers=_bearer(NATIONAL_WALL)).status_code == 404  # not served
    # The nation is at /nasional/ only; /p/00/ is no province.
    assert client.get("/nasional/api/v1/snapshot", headers=_bearer(NATIONAL_WALL)).status_code in (200, 503)
    assert client.get("/p/00/api/v1/snapshot", headers=_bearer(NATIONAL_WALL)).status_code in (403, 404)


def test_a_province_official_opens_its_pages_only(app) -> None:
    jatim = _signed_in(app, "pejabat-jatim")
    assert jatim.get("/p/35/kabkota/35.78").status_code == 200
    assert jatim.get("/p/12/kabkota/12.71").status_code == 403
    national = _signed_in(app, "pejabat-pusat")
    assert national.get("/p/12/kabkota/12.71").status_code == 200
    assert national.get("/p/35/kabkota/35.78").status_code == 200


def test_a_page_under_its_province_asks_dash_under_the_same_prefix(app) -> None:
    """The page's own requests (scripts, layout, callbacks) go to `/p/35/...`, so they carry the province."""
    page = _signed_in(app, "pejabat-jatim").get("/p/35/kabkota/35.78").get_data(as_text=True)
    config = json.loads(re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>', page).group(1))
    assert config["requests_pathname_prefix"] == "/p/35/"
    assert "/p/35/_dash-component-suites/" in page


def test_ingest_routes_each_event_to_its_province_and_refuses_other_provinces_by_field(
    app, redis_client: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze_clock(monkeypatch, NOW)
    body = [_event("jt-1", "35.78"), _event("su-1", "12.71"), _event("xx-1", "31.71")]
    answer = app.server.test_client().post("/api/v1/events", json=body, headers=_bearer(JATIM_INGEST))
    assert answer.status_code == 202
    result = answer.get_json()
    assert result["accepted"] == 1
    errors = {item["index"]: item["error"] for item in result["rejected"]}
    assert errors[1].startswith("regency_code:") and "province 12" in errors[1] and "may not send" in errors[1]
    assert errors[2].startswith("regency_code:") and "does not serve" in errors[2]
    assert redis_client.xlen(Keys("35").events) == 1 and not redis_client.exists(Keys("12").events)
    assert redis_client.xlen(Keys("35").dead_letter) == 2  # kept with the token's own province


def test_admin_issues_scoped_tokens_and_the_audit_log_records_the_scope(app, settings, capsys) -> None:
    url = settings.sqlalchemy_url()
    assert admin(["issue-token", "medan-wall", "--kind", "wall", "--provinces", "12"], url=url) == 0
    assert admin(["list-tokens"], url=url) == 0
    listing = capsys.readouterr().out
    assert re.search(r"wall\s+medan-wall\s+12\s", listing)
    sessions = make_sessionmaker(url)
    with sessions.begin() as db:
        details = [row.detail for row in db.query(AuditLog).filter(AuditLog.action == "token.issue")]
    assert "wall medan-wall for 12" in details and "wall surabaya-wall for 35" in details
    sessions.kw["bind"].dispose()


def test_a_screen_joins_its_province_room_and_only_within_its_scope(app) -> None:
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    rooms = socketio_of(app).server.rooms
    cookie = _signed_in(app, "pejabat-jatim").get_cookie("session")
    clients = []
    try:
        for pathname in ("/p/35/", "/p/12/", "/"):
            client = socketio.Client(reconnection=False)
            with contextlib.suppress(socketio.exceptions.ConnectionError):
                client.connect(
                    url,
                    headers={"Cookie": f"session={cookie.value}"},
                    auth={"pathname": pathname},
                    transports=["polling"],
                    wait_timeout=5,
                )
            clients.append(client)
        own, other, home = (set(rooms(c.get_sid())) for c in clients)
        assert "p35/province:id" in own
        assert not {room for room in other | home if "/" in room}  # connected, but in no province's room
    finally:
        for client in clients:
            client.disconnect()
        server.shutdown()
