"""Access control on a small Dash app with `install_security`: real SQLite and real Redis."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
import redis
from flask.testing import FlaskClient

from dashboard.security.guard import Role, install_security
from dashboard.security.principals import SESSIONS_KEPT
from store.access.accounts import create_user, issue_token, provision_from_settings, revoke_token
from store.access.models import AuditLog
from store.access.models import Role as AuthRole
from store.contract.settings import Settings
from store.history.db import make_sessionmaker, upgrade
from tests.support.security import assert_every_route_has_rule, assert_role_enforced
from tests.support.security_app import build_app

PASSWORD = "correct horse battery"
WALL_TOKEN = "wall-token-for-the-lobby-screen-0123456789"
INGEST_TOKEN = "ingest-token-of-kota-medan-0123456789abcdef"
PAGES = ("/kabkota/12.71", "/briefing", "/ops", "/admin")


pytestmark = pytest.mark.usefixtures("cheap_password_hashing")


@pytest.fixture
def settings(redis_url: str) -> Settings:
    return Settings(
        redis_url=redis_url,
        secret_key="test-secret",
        wall_tokens={WALL_TOKEN: "lobby"},
        ingest_tokens={INGEST_TOKEN: "medan"},
        admin_password=PASSWORD,
    )


@pytest.fixture
def sessions(tmp_path, settings: Settings):
    url = f"sqlite:///{tmp_path / 'auth.db'}"
    upgrade(url)
    factory = make_sessionmaker(url)
    with factory.begin() as db:
        provision_from_settings(db, settings)
        for name, role in (("pejabat", AuthRole.OFFICIAL), ("operator1", AuthRole.OPERATOR)):
            create_user(db, name, PASSWORD, role)
    yield factory
    factory.kw["bind"].dispose()


@pytest.fixture
def app(settings: Settings, sessions, redis_client: redis.Redis):
    return build_app(settings, sessions, lambda: redis_client)


def csrf_of(client: FlaskClient, path: str = "/masuk") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def sign_in(client: FlaskClient, username: str, password: str = PASSWORD, next_: str = "/"):
    form = {"csrf_token": csrf_of(client), "username": username, "password": password, "next": next_}
    return client.post("/masuk", data=form)


@pytest.fixture
def clients(app) -> Iterator[dict]:
    """A client per role, signed in the way that role signs in."""
    made: dict = {None: app.server.test_client()}
    wall = app.server.test_client()
    assert wall.get(f"/?token={WALL_TOKEN}").status_code == 302
    made[Role.WALL] = wall
    for name, role in (("pejabat", Role.OFFICIAL), ("operator1", Role.OPERATOR), ("admin", Role.ADMIN)):
        client = app.server.test_client()
        assert sign_in(client, name).status_code == 302
        made[role] = client
    yield made


def test_every_route_and_callback_has_a_rule(app) -> None:
    assert_every_route_has_rule(app)


def test_a_route_or_callback_without_rule_is_denied_and_reported(settings, sessions, redis_client) -> None:
    app = build_app(settings, sessions, lambda: redis_client)

    @app.server.get("/new-report")
    def new_report() -> str:
        return "secret"

    @app.callback(dash_output("report-new-text"), dash_input("wall-page-location"))
    def new_callback(pathname: str | None) -> str:
        return "secret"

    with pytest.raises(AssertionError, match="new-report"):
        assert_every_route_has_rule(app)
    admin = app.server.test_client()
    sign_in(admin, "admin")
    assert admin.get("/new-report").status_code == 403
    body = {"output": "report-new-text.children", "outputs": {"id": "report-new-text", "property": "children"}}
    body |= {"inputs": [{"id": "wall-page-location", "property": "pathname", "value": "/"}], "changedPropIds": []}
    assert admin.post("/_dash-update-component", json=body).status_code == 403


def dash_output(component_id: str):
    from dash import Output

    return Output(component_id, "children")


def dash_input(component_id: str):
    from dash import Input

    return Input(component_id, "pathname")


@pytest.mark.parametrize("role", [None, Role.WALL, Role.OFFICIAL, Role.OPERATOR, Role.ADMIN])
def test_each_role_reaches_exactly_what_its_rules_allow(app, clients, role) -> None:
    assert assert_role_enforced(app, clients[role], role, extra_pages=PAGES) > 10


def test_anonymous_pages_go_to_sign_in_and_apis_answer_401(app) -> None:
    client = app.server.test_client()
    response = client.get("/ops", headers={"Accept": "text/html"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/masuk?next=")
    assert client.get("/api/v1/snapshot").status_code == 401
    assert client.get("/healthz").get_json() == {"ok": True}


def test_snapshot_answers_a_wall_bearer_token(app) -> None:
    client = app.server.test_client()
    assert client.get("/api/v1/snapshot", headers={"Authorization": f"Bearer {WALL_TOKEN}"}).status_code == 200
    assert client.get("/api/v1/snapshot", headers={"Authorization": f"Bearer {INGEST_TOKEN}"}).status_code == 401
    assert client.get("/api/v1/snapshot/12.71", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_wall_token_in_url_becomes_a_session_and_leaves_the_url(app) -> None:
    client = app.server.test_client()
    response = client.get(f"/?token={WALL_TOKEN}&lang=en")
    assert response.status_code == 302 and response.headers["Location"] == "/?lang=en"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert client.get("/").status_code == 200
    assert client.get("/ops", headers={"Accept": "text/html"}).status_code == 403


def test_cookie_is_secure_over_https(app) -> None:
    response = app.server.test_client().get(f"/?token={WALL_TOKEN}", base_url="https://wall.example")
    assert "Secure" in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" in response.headers


def test_revoked_wall_token_stops_working_at_once(app, sessions) -> None:
    screen = app.server.test_client()
    screen.get(f"/?token={WALL_TOKEN}")
    bearer = {"Authorization": f"Bearer {WALL_TOKEN}"}
    assert screen.get("/api/v1/snapshot").status_code == 200
    assert app.server.test_client().get("/api/v1/snapshot", headers=bearer).status_code == 200
    with sessions.begin() as db:
        assert revoke_token(db, "lobby", "wall") == 1
    assert screen.get("/api/v1/snapshot").status_code == 401
    assert app.server.test_client().get("/api/v1/snapshot", headers=bearer).status_code == 401


def test_disabled_user_is_out_at_once(app, clients, sessions) -> None:
    from store.access.models import User

    assert clients[Role.OPERATOR].get("/ops").status_code == 200
    with sessions.begin() as db:
        db.query(User).filter_by(username="operator1").one().active = False
    assert clients[Role.OPERATOR].get("/ops", headers={"Accept": "text/html"}).status_code == 302


def test_ingest_tokens_checked_hashed_revocable_and_throttled(app, sessions) -> None:
    client = app.server.test_client()
    post = lambda token: client.post("/api/v1/events", json={}, headers={"Authorization": f"Bearer {token}"})  # noqa: E731
    assert post(INGEST_TOKEN).status_code == 202
    assert post(WALL_TOKEN).status_code == 401
    with sessions.begin() as db:
        revoke_token(db, "medan", "ingest")
        fresh = issue_token(db, "medan", "ingest")
    assert post(INGEST_TOKEN).status_code == 401
    assert post(fresh).status_code == 202
    statuses = [post("guess").status_code for _ in range(12)]
    assert statuses[-1] == 429 and 401 in statuses  # the same wrong token, retried: it backs off
    assert post(fresh).status_code == 202  # a valid token from that address is never locked out


def test_sign_in_brute_force_is_slowed(app, sessions) -> None:
    client = app.server.test_client()
    statuses = [sign_in(client, "admin", f"wrong-{i}").status_code for i in range(7)]
    assert statuses[:5] == [401] * 5 and statuses[6] == 429
    # While locked out even the right password is not tried.
    locked = sign_in(client, "admin")
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) >= 1
    time.sleep(float(locked.headers["Retry-After"]) + 0.1)
    assert sign_in(client, "admin").status_code == 302
    with sessions() as db:
        actions = [row.action for row in db.query(AuditLog).filter_by(actor="admin")]
    assert actions.count("signin.failed") >= 5 and "signin" in actions


def test_sign_in_form_requires_csrf_token(app) -> None:
    client = app.server.test_client()
    client.get("/masuk")
    response = client.post("/masuk", data={"username": "admin", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/admin", headers={"Accept": "text/html"}).status_code == 302


def test_sign_out_needs_csrf_and_ends_the_session(app, clients) -> None:
    admin = clients[Role.ADMIN]
    assert admin.post("/keluar").status_code == 400
    assert admin.get("/admin").status_code == 200
    assert admin.post("/keluar", data={"csrf_token": csrf_of(admin, "/keluar")}).status_code == 302
    assert admin.get("/admin", headers={"Accept": "text/html"}).status_code == 302


def test_sign_in_refuses_foreign_next(app) -> None:
    client = app.server.test_client()
    assert sign_in(client, "admin", next_="//evil.example/x").headers["Location"] == "/"


def test_sign_in_page_speaks_indonesian_and_english(app) -> None:
    client = app.server.test_client()
    assert "Kata sandi" in client.get("/masuk").get_data(as_text=True)
    assert "Password" in client.get("/masuk?lang=en").get_data(as_text=True)


def test_callbacks_refuse_foreign_origin(app, clients) -> None:
    body = {"output": "wall-clock-text.children", "outputs": {"id": "wall-clock-text", "property": "children"}}
    body |= {"inputs": [{"id": "wall-page-location", "property": "pathname", "value": "/"}], "changedPropIds": []}
    admin = clients[Role.ADMIN]
    assert admin.post("/_dash-update-component", json=body).status_code == 200
    foreign = {"Origin": "https://evil.example"}
    assert admin.post("/_dash-update-component", json=body, headers=foreign).status_code == 403


def test_security_headers(app) -> None:
    response = app.server.test_client().get("/masuk")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'sha256-" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-eval" not in csp and "script-src 'self' 'unsafe-inline'" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_provisioning_revokes_tokens_that_left_the_configuration(sessions, settings) -> None:
    from store.access.accounts import verify_token

    with sessions.begin() as db:
        provision_from_settings(db, settings.model_copy(update={"wall_tokens": {}}))
        assert verify_token(db, "wall", WALL_TOKEN) is None
        assert verify_token(db, "ingest", INGEST_TOKEN) is not None


def test_install_is_idempotent_per_app_only(settings, sessions, redis_client) -> None:
    import dash

    other = dash.Dash(__name__)
    install_security(other, settings, sessions, lambda: redis_client)
    assert other.server.test_client().get("/", headers={"Accept": "text/html"}).status_code == 302


def _from(app, address: str) -> FlaskClient:
    client = app.server.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_a_guesser_behind_a_shared_address_locks_out_no_valid_token(app) -> None:
    """Many screens and senders share one address behind a NAT: failures count against what was tried."""
    nat = "10.20.30.40"
    guesser = _from(app, nat)
    ingest = {"Authorization": f"Bearer {INGEST_TOKEN}"}
    wall = {"Authorization": f"Bearer {WALL_TOKEN}"}
    for n in range(30):
        guesser.post("/api/v1/events", json={}, headers={"Authorization": f"Bearer guess-{n}"})
        guesser.get("/api/v1/snapshot", headers={"Authorization": f"Bearer guess-{n}"})
    neighbour = _from(app, nat)
    assert neighbour.post("/api/v1/events", json={}, headers=ingest).status_code == 202
    assert neighbour.get("/api/v1/snapshot", headers=wall).status_code == 200
    assert neighbour.get(f"/?token={WALL_TOKEN}").status_code == 302


def test_a_stale_token_retried_backs_off_alone(app) -> None:
    stale = _from(app, "10.0.0.9")
    statuses = [stale.get("/api/v1/snapshot", headers={"Authorization": "Bearer old"}).status_code for _ in range(12)]
    assert statuses[:10] == [401] * 10 and statuses[-1] == 429
    other = _from(app, "10.0.0.9").get("/api/v1/snapshot", headers={"Authorization": "Bearer other-typo"})
    assert other.status_code == 401  # not locked by the stale one


def test_nobody_can_lock_a_user_out_of_a_browser_they_signed_in_from(app) -> None:
    laptop = _from(app, "10.1.1.1")
    assert sign_in(laptop, "admin").status_code == 302  # gets its device cookie
    assert laptop.post("/keluar", data={"csrf_token": csrf_of(laptop, "/keluar")}).status_code == 302
    # Guessers on many addresses: each address's own allowance is never used up, the user name's is.
    statuses = [sign_in(_from(app, f"203.0.113.{n}"), "admin", f"guess-{n}").status_code for n in range(40)]
    assert statuses[:20] == [401] * 20 and 429 in statuses[20:]
    while sign_in(_from(app, "203.0.113.99"), "admin", "again").status_code != 401:  # a counted failure: a
        time.sleep(0.2)  # lock of at least 2 s starts now
    assert sign_in(_from(app, "198.51.100.1"), "admin").status_code == 429  # a new browser waits...
    assert sign_in(laptop, "admin").status_code == 302  # ...the laptop they used before does not


def test_an_office_behind_one_address_signs_in_while_someone_there_sprays_passwords(app) -> None:
    office = "10.2.2.2"
    attacker = _from(app, office)
    for n in range(30):  # a few names, a few guesses each: more failures than one office makes in a bad hour
        sign_in(attacker, f"user{n % 10}", f"guess-{n}")
    assert sign_in(_from(app, office), "pejabat").status_code == 302


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r\n/evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        " //evil.example",
        "/ /evil.example",
        "//evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "/\x00/evil.example",
    ],
)
def test_next_is_only_ever_a_path_on_this_site(app, target) -> None:
    client = app.server.test_client()
    assert client.get("/masuk", query_string={"next": target}).status_code == 200
    assert sign_in(client, "admin", next_=target).headers["Location"] == "/"


def test_next_keeps_a_path_with_its_query(app) -> None:
    client = app.server.test_client()
    target = "/briefing?regencies=12.71,12.04&period=30d"
    assert sign_in(client, "admin", next_=target).headers["Location"] == target


def _sessions(client: redis.Redis) -> int:
    """Server sessions in Redis, on every node of a cluster."""
    return len(list(client.scan_iter(match="*:session:*")))


def test_token_sign_ins_keep_a_bounded_number_of_server_sessions(app, redis_client: redis.Redis, monkeypatch) -> None:
    """A `?token=` link opened again by a screen already signed in keeps its session; fresh browsers opening it in a
    loop end the oldest sessions past `SESSIONS_KEPT` instead of filling Redis (a small cap here: it is 5,000)."""
    kept = 12
    monkeypatch.setitem(SESSIONS_KEPT, "wall", kept)
    screen = app.server.test_client()
    screen.get(f"/?token={WALL_TOKEN}")
    for _ in range(5):
        screen.get(f"/?token={WALL_TOKEN}")
    assert _sessions(redis_client) == 1  # the screen kept its own
    first = app.server.test_client()
    first.get(f"/?token={WALL_TOKEN}")
    for _ in range(kept + 10):
        app.server.test_client().get(f"/?token={WALL_TOKEN}")
    assert _sessions(redis_client) == kept
    assert first.get("/api/v1/snapshot").status_code == 401  # the oldest sessions ended
