"""Checks any Dash app with `install_security` applied: every route, page and callback has a rule, and each is
refused to anyone below its role. The app's own tests call these on the real app."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import dash
import redis
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from dashboard.security.rules import (
    BY_PAGE,
    DASH_PAGES_LOCATION,
    RULES,
    Access,
    Rule,
    callback_component_ids,
    rule_for_callback,
    rule_for_path,
    unruled,
)
from store.access.accounts import create_user
from store.access.models import Role
from store.contract.settings import Settings
from store.history.db import make_sessionmaker, upgrade
from wsgi import create_server

DENIED = (302, 401, 403)
USER_PASSWORD = "correct horse battery"  # of the users `served_app` creates


@dataclass(frozen=True)
class Probe:
    """One request that reaches a route or a callback, and the role it needs."""

    label: str
    method: str
    path: str
    body: dict[str, Any] | None
    access: Access


def _sample(rule: str) -> str:
    return re.sub(r"<[^>]+>", "x", rule)


def _register_dash_router(app: dash.Dash) -> None:
    # Dash adds its page router callbacks at the first request.
    app.server.test_client().get("/_favicon.ico")


def assert_every_route_has_rule(app: dash.Dash, rules: tuple[Rule, ...] = RULES) -> None:
    """Fail, naming them, when routes, pages or callbacks of `app` have no rule."""
    _register_dash_router(app)
    missing = unruled(app, rules)
    assert not missing, f"no access rule for: {', '.join(missing)}"


def probes(app: dash.Dash, extra_pages: tuple[str, ...] = (), rules: tuple[Rule, ...] = RULES) -> Iterator[Probe]:
    """A request for every route (with sample values for its variables), every page and every callback."""
    _register_dash_router(app)
    prefix = app.config.routes_pathname_prefix.rstrip("/")
    pages = [*extra_pages, *(_sample(p.get("path_template") or p["path"]) for p in dash.page_registry.values())]
    for url_rule in app.server.url_map.iter_rules():
        if url_rule.rule == f"{prefix}/<path:path>":
            continue
        path = _sample(url_rule.rule)
        for method in sorted((url_rule.methods or set()) - {"HEAD", "OPTIONS"}):
            rule = rule_for_path(path, rules)
            yield Probe(f"{method} {url_rule.rule}", method, path, None, rule.access if rule else "none")
    for page in pages:
        rule = rule_for_path(page, rules)
        yield Probe(f"page {page}", "GET", page, None, rule.access if rule else "none")
    for key, spec in app.callback_map.items():
        body = {"output": key, "outputs": [], "inputs": [], "state": [], "changedPropIds": []}
        rules_hit = [rule_for_callback(i, rules) for i in callback_component_ids(key, spec)]
        if rules_hit and all(r and r.access == BY_PAGE for r in rules_hit):
            for page in pages:
                location = {"id": DASH_PAGES_LOCATION, "property": "pathname", "value": page}
                page_rule = rule_for_path(page, rules)
                yield Probe(
                    f"callback {key} for {page}",
                    "POST",
                    f"{prefix}/_dash-update-component",
                    {**body, "inputs": [location]},
                    page_rule.access if page_rule else "none",
                )
            continue
        roles = [r.access for r in rules_hit if r]
        access: Access = max(roles) if rules_hit and len(roles) == len(rules_hit) else "none"
        yield Probe(f"callback {key}", "POST", f"{prefix}/_dash-update-component", body, access)


def assert_role_enforced(app: dash.Dash, client: FlaskClient, role: Role | None, **kwargs: Any) -> int:
    """Every probe needing more than `role` (None: anonymous) is refused, and every probe `role` may make is let
    through the guard. Returns how many probes were made."""
    count = 0
    for probe in probes(app, **kwargs):
        if not isinstance(probe.access, Role) and probe.access != "none":
            continue  # public, or checked by the view's own token
        response = client.open(probe.path, method=probe.method, json=probe.body, headers={"Accept": "text/html"})
        allowed = isinstance(probe.access, Role) and role is not None and role >= probe.access
        signed_in_redirect = response.status_code == 302 and "/masuk" in response.headers.get("Location", "")
        if allowed:
            assert response.status_code not in (401, 403) and not signed_in_redirect, (probe.label, role)
        else:
            assert response.status_code in DENIED, (probe.label, role, response.status_code)
        count += 1
    return count


def served_app(
    tmp_path: Path,
    redis_url: str,
    client: redis.Redis,
    users: Mapping[str, Role] = MappingProxyType({}),
    **options: Any,
) -> tuple[dash.Dash, sessionmaker[Session]]:
    """The real app (`wsgi.create_server`) on a migrated SQLite archive in `tmp_path`, with `options` as settings and
    `users` (name -> role) created with `USER_PASSWORD`; and the archive's sessions."""
    settings = Settings(redis_url=redis_url, database_url=f"sqlite:///{tmp_path / 'app.db'}", **options)
    upgrade(settings.sqlalchemy_url())
    sessions = make_sessionmaker(settings.sqlalchemy_url())
    with sessions.begin() as db:
        for name, role in users.items():
            create_user(db, name, USER_PASSWORD, role)
    return create_server(settings, client), sessions


def sign_in(client: FlaskClient, username: str, password: str) -> FlaskClient:
    """`client` signed in through the sign-in form (with its CSRF token) as `username`."""
    page = client.get("/masuk").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"csrf_token": csrf, "username": username, "password": password}
    assert client.post("/masuk", data=form).status_code == 302
    return client
