"""Access control on the real web app (`wsgi.create_server`): every route, page, callback and the Socket.IO
connection behind the rule table, against real SQLite and real Redis."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import re
import threading
import time
from collections.abc import Iterator

import dash
import pytest
import redis
import socketio
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from dashboard.app import socketio_of
from dashboard.push import RECHECK_SECONDS
from store.access.accounts import create_user, revoke_token
from store.access.models import Role
from store.contract.settings import Settings
from store.history.db import make_sessionmaker, upgrade
from tests.support.security import assert_every_route_has_rule, assert_role_enforced
from wsgi import create_server

PASSWORD = "correct horse battery"
WALL_TOKEN = "wall-token-of-the-main-wall-0123456789abcdef"
INGEST_TOKEN = "ingest-token-of-kota-medan-0123456789abcdef"
USERS = {Role.OFFICIAL: "pejabat", Role.OPERATOR: "operator1", Role.ADMIN: "admin"}
# Pages that may not be registered yet; probing them checks their rules all the same.
PAGES = ("/kabkota/12.71", "/briefing", "/ops", "/admin")
EVENT = {
    "event_id": "ev-1",
    "type": "service_request",
    "request_id": "req-1",
    "regency_code": "12.71",
    "status": "received",
    "category": "kesehatan",
    "channel": "app",
    "opd": "Dinas Kesehatan Kota Medan",
}


pytestmark = pytest.mark.usefixtures("cheap_password_hashing")


@pytest.fixture
def settings(tmp_path, redis_url: str) -> Settings:
    return Settings(
        redis_url=redis_url,
        database_url=f"sqlite:///{tmp_path / 'app.db'}",
        secret_key="test-secret",
        wall_tokens={WALL_TOKEN: "main-wall"},
        ingest_tokens={INGEST_TOKEN: "kota-medan"},
        admin_password=PASSWORD,
    )


@pytest.fixture
def app(settings: Settings, redis_client: redis.Redis) -> Iterator[dash.Dash]:
    upgrade(settings.sqlalchemy_url())
    app = create_server(settings, redis_client)  # provisions the wall and ingest tokens and `admin`
    sessions = make_sessionmaker(settings.sqlalchemy_url())
    with sessions.begin() as db:
        create_user(db, USERS[Role.OFFICIAL], PASSWORD, Role.OFFICIAL)
        create_user(db, USERS[Role.OPERATOR], PASSWORD, Role.OPERATOR)
    yield app
    sessions.kw["bind"].dispose()


def sign_in(client: FlaskClient, username: str) -> int:
    page = client.get("/masuk").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"csrf_token": csrf, "username": username, "password": PASSWORD, "next": "/"}
    return client.post("/masuk", data=form).status_code


def client_for(app: dash.Dash, role: Role | None) -> FlaskClient:
    """A test client signed in the way `role` signs in: a wall screen with `?token=`, people with the form."""
    client = app.server.test_client()
    if role == Role.WALL:
        assert client.get(f"/?token={WALL_TOKEN}").status_code == 302
    elif role is not None:
        assert sign_in(client, USERS[role]) == 302
    return client


def test_every_route_page_and_callback_has_a_rule(app) -> None:
    assert_every_route_has_rule(app)


@pytest.mark.parametrize("role", [None, Role.WALL, Role.OFFICIAL, Role.OPERATOR, Role.ADMIN])
def test_each_role_reaches_exactly_what_its_rules_allow(app, role) -> None:
    assert assert_role_enforced(app, client_for(app, role), role, extra_pages=PAGES) > 20


def test_the_wall_screen_gets_the_wall_and_its_data(app) -> None:
    wall = client_for(app, Role.WALL)
    assert wall.get("/").status_code == 200
    assert wall.get("/api/v1/snapshot").get_json()["totals"] is not None
    anonymous = app.server.test_client()
    page = anonymous.get("/", headers={"Accept": "text/html"})
    assert page.status_code == 302 and page.headers["Location"].startswith("/masuk")
    assert anonymous.get("/api/v1/snapshot").status_code == 401
    bearer = {"Authorization": f"Bearer {WALL_TOKEN}"}
    assert anonymous.get("/api/v1/snapshot/12.71", headers=bearer).status_code == 200


def test_policy_allows_every_inline_script_even_when_the_first_request_was_refused(app) -> None:
    assert app.server.test_client().get("/", headers={"Accept": "text/html"}).status_code == 302
    page = client_for(app, Role.WALL).get("/")
    policy = page.headers["Content-Security-Policy"]
    html = re.sub(r"<!--.*?-->", "", page.get_data(as_text=True), flags=re.DOTALL)  # Dash's note for old IE
    scripts = re.findall(r"<script(?: [^>]*type=\"application/javascript\"[^>]*)?>(.*?)</script>", html, re.DOTALL)
    assert any("document.title" in script for script in scripts)  # the page router's clientside callback
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy


def test_health_is_open_and_shows_no_figures(app) -> None:
    report = app.server.test_client().get("/healthz").get_json()
    assert set(report) == {"ok", "redis", "workers", "stream", "archive"}
    assert "totals" not in str(report) and "regencies" not in str(report)


def test_ingest_takes_provisioned_tokens_only(app, settings) -> None:
    client = app.server.test_client()

    def post(token: str) -> int:
        headers = {"Authorization": f"Bearer {token}"}
        return client.post("/api/v1/events", json=EVENT, headers=headers).status_code

    assert post(INGEST_TOKEN) == 202
    assert post(WALL_TOKEN) == 401
    with make_sessionmaker(settings.sqlalchemy_url()).begin() as db:
        revoke_token(db, "kota-medan", "ingest")
    assert post(INGEST_TOKEN) == 401


@pytest.fixture
def served(app) -> Iterator[str]:
    """The app on a loopback port (its Flask server carries the Socket.IO middleware)."""
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_socket_io_refuses_anonymous_and_joins_rooms_by_role(app, served) -> None:
    rooms = socketio_of(app).server.rooms

    def connect(role: Role | None, pathname: str) -> socketio.Client:
        cookie = client_for(app, role).get_cookie("session")
        headers = {"Cookie": f"session={cookie.value}"} if cookie else {}
        client = socketio.Client(reconnection=False)
        with contextlib.suppress(socketio.exceptions.ConnectionError):  # refused: `connected` stays False
            client.connect(served, headers=headers, auth={"pathname": pathname}, transports=["polling"], wait_timeout=5)
        return client

    assert not connect(None, "/").connected
    wall = connect(Role.WALL, "/")
    screen_on_regency = connect(Role.WALL, "/kabkota/12.71")
    official = connect(Role.OFFICIAL, "/kabkota/12.71")
    try:
        assert "p12/province:id" in rooms(wall.get_sid())
        assert screen_on_regency.connected and "p12/regency:12.71:id" not in rooms(screen_on_regency.get_sid())
        assert "p12/regency:12.71:id" in rooms(official.get_sid())
    finally:
        for client in (wall, screen_on_regency, official):
            client.disconnect()


def _socket(app, served: str, client: FlaskClient, pathname: str) -> socketio.Client:
    """A real Socket.IO client with the session cookie of `client`."""
    cookie = client.get_cookie("session")
    sock = socketio.Client(reconnection=False)
    sock.connect(served, headers={"Cookie": f"session={cookie.value}"}, auth={"pathname": pathname}, wait_timeout=5)
    return sock


def _sign_out(client: FlaskClient) -> int:
    page = client.get("/keluar").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client.post("/keluar", data={"csrf_token": csrf}).status_code


def _closed_by_server_within(app, sock: socketio.Client) -> float:
    """Seconds until the server has closed `sock`'s connection (it re-checks every RECHECK_SECONDS); then the
    client sees it closed too (on its own schedule, so not timed)."""
    sid, manager = sock.get_sid(), socketio_of(app).server.manager
    started = time.monotonic()
    while manager.is_connected(sid, "/") and time.monotonic() - started < 10:
        time.sleep(0.02)
    elapsed = time.monotonic() - started
    deadline = time.monotonic() + 10
    while sock.connected and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not sock.connected
    return elapsed


def test_a_copied_session_cookie_stops_working_at_sign_out(app) -> None:
    official = client_for(app, Role.OFFICIAL)
    thief = app.server.test_client()
    thief.set_cookie("session", official.get_cookie("session").value)
    assert thief.get("/briefing").status_code == 200
    assert _sign_out(official) == 302
    refused = thief.get("/briefing", headers={"Accept": "text/html"})
    assert refused.status_code == 302 and refused.headers["Location"].startswith("/masuk")


def test_revoking_a_wall_token_closes_its_open_socket_within_a_second(app, served, settings) -> None:
    sock = _socket(app, served, client_for(app, Role.WALL), "/")
    try:
        assert sock.connected
        with make_sessionmaker(settings.sqlalchemy_url()).begin() as db:
            assert revoke_token(db, "main-wall", "wall") == 1
        assert _closed_by_server_within(app, sock) < RECHECK_SECONDS + 0.5
    finally:
        sock.disconnect()


def test_signing_out_closes_the_users_open_sockets(app, served) -> None:
    official = client_for(app, Role.OFFICIAL)
    sock = _socket(app, served, official, "/kabkota/12.71")
    other = _socket(app, served, client_for(app, Role.OPERATOR), "/")
    try:
        assert _sign_out(official) == 302
        assert _closed_by_server_within(app, sock) < RECHECK_SECONDS + 0.5
        time.sleep(RECHECK_SECONDS + 0.2)
        assert other.connected  # another user's connection is left alone
    finally:
        sock.disconnect()
        other.disconnect()


def test_a_client_cannot_run_the_connect_handler_again(app, served) -> None:
    rooms = socketio_of(app).server.rooms
    sock = _socket(app, served, client_for(app, Role.OFFICIAL), "/kabkota/12.71")
    try:
        sid = sock.get_sid()
        before = set(rooms(sid))
        sock.emit("connect", {"pathname": "/kabkota/12.01"})
        sock.emit("connect", {"pathname": "/"})
        time.sleep(0.5)
        assert set(rooms(sid)) == before and "p12/regency:12.71:id" in before
    finally:
        sock.disconnect()
