"""A small Dash app shaped like the command centre (wall, regency, ops, admin pages; snapshot, ingest and health
routes; callbacks per page) with `install_security` applied, for the access-control tests."""

from __future__ import annotations

from collections.abc import Callable

import dash
import redis
from dash import Input, Output, dcc, html
from flask import jsonify, request
from sqlalchemy.orm import Session, sessionmaker

from dashboard.security.guard import install_security
from store.access.gate import BearerGate
from store.contract.keys import Keys
from store.contract.settings import Settings

XSS_TITLE = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'


def build_app(
    settings: Settings, session_factory: sessionmaker[Session], client_factory: Callable[[], redis.Redis]
) -> dash.Dash:
    app = dash.Dash(__name__, assets_folder="/nonexistent", serve_locally=True)
    app.layout = html.Div(
        [
            dcc.Location(id="wall-page-location"),
            html.Div(id="wall-clock-text"),
            dcc.Store(id="wall-events-store", data=[{"title": XSS_TITLE}]),
            html.Ul(id="wall-alerts-ticker"),
            html.Div(id="kabkota-detail-text"),
            html.Div(id="ops-result-text"),
            html.Div(id="admin-users-text"),
            dcc.Graph(id="wall-trend-graph", figure={"data": [{"type": "bar", "x": [1, 2], "y": [3, 4]}]}),
        ]
    )

    @app.callback(Output("wall-clock-text", "children"), Input("wall-page-location", "pathname"))
    def clock(pathname: str | None) -> str:
        return f"wall at {pathname}"

    @app.callback(Output("wall-alerts-ticker", "children"), Input("wall-events-store", "data"))
    def ticker(events: list[dict]) -> list:
        return [html.Li(event["title"]) for event in events]

    @app.callback(Output("kabkota-detail-text", "children"), Input("wall-page-location", "pathname"))
    def detail(pathname: str | None) -> str:
        return "detail"

    @app.callback(Output("ops-result-text", "children"), Input("wall-page-location", "pathname"))
    def acknowledge(pathname: str | None) -> str:
        return "acknowledged"

    @app.callback(Output("admin-users-text", "children"), Input("wall-page-location", "pathname"))
    def users(pathname: str | None) -> str:
        return "users"

    ingest_gate = BearerGate(session_factory, client_factory, Keys(settings.province), "ingest")

    @app.server.get("/api/v1/snapshot")
    @app.server.get("/api/v1/snapshot/<code>")
    def snapshot(code: str | None = None) -> dict:
        return {"province": settings.province, "code": code}

    @app.server.post("/api/v1/events")
    def events():
        verdict = ingest_gate.check(request.headers.get("Authorization"), request.remote_addr or "")
        if not verdict.accepted:
            return jsonify({"error": "token"}), 429 if verdict.throttled else 401
        return jsonify({"accepted": 0, "source": verdict.token.name}), 202

    @app.server.get("/healthz")
    def healthz() -> dict:
        return {"ok": True}

    install_security(app, settings, session_factory, client_factory)
    return app
